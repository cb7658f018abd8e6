import { checkStreams, withoutCopies, type LoggedStreamEvent } from './eventLog';

const logged = (
  eventId: string,
  streamId: string,
  version: number,
  offset: number,
  name = `name ${version}`,
  bytes = Buffer.from(`${eventId}:${name}`),
): LoggedStreamEvent =>
  ({
    event: {
      type: 'UserRenamed',
      data: { name },
      metadata: { eventId, streamId, version, causationId: `c${version}` },
    },
    partition: 0,
    offset: BigInt(offset),
    bytes,
  }) as unknown as LoggedStreamEvent;

describe('withoutCopies', () => {
  it('takes out a record stored twice, and leaves a log checkStreams accepts', () => {
    const log = [logged('e1', 'user-a', 1, 0), logged('e2', 'user-a', 2, 1), logged('e2', 'user-a', 2, 2)];
    const { log: kept, copies } = withoutCopies(log);
    expect(copies.map((c) => [c.offset, c.sameBytes])).toEqual([[2n, true]]);
    expect(checkStreams(kept).problems).toEqual([]);
    expect(checkStreams(log).problems).not.toEqual([]);
  });

  it('tells a copy sealed again (other bytes) from a byte-for-byte one', () => {
    const log = [
      logged('e1', 'user-a', 1, 0),
      logged('e1', 'user-a', 1, 5, 'name 1', Buffer.from('resealed')),
    ];
    expect(withoutCopies(log).copies.map((c) => c.sameBytes)).toEqual([false]);
  });

  it('keeps another event at a position already taken: a second decision, which checkStreams reports', () => {
    const log = [logged('e1', 'user-a', 1, 0, 'Ada'), logged('e1', 'user-a', 1, 1, 'Grace')];
    const { log: kept, copies } = withoutCopies(log);
    expect(copies).toEqual([]);
    expect(checkStreams(kept).problems).toEqual([
      'duplicate event id e1 (user-a v1)',
      'user-a: position 2 holds version 1',
    ]);
  });

  it('keeps an event id repeated at another version: a second decision, which checkStreams reports', () => {
    const log = [logged('e1', 'user-a', 1, 0), logged('e1', 'user-a', 2, 1)];
    const { log: kept, copies } = withoutCopies(log);
    expect(copies).toEqual([]);
    expect(checkStreams(kept).problems).toEqual(['duplicate event id e1 (user-a v2)']);
  });
});
