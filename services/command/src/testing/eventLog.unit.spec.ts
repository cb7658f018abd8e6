import { checkStreams, withoutCopies, type LoggedStreamEvent } from './eventLog';

const logged = (eventId: string, streamId: string, version: number, offset: number): LoggedStreamEvent =>
  ({
    event: { metadata: { eventId, streamId, version } },
    partition: 0,
    offset: BigInt(offset),
  }) as unknown as LoggedStreamEvent;

describe('withoutCopies', () => {
  it('takes out a record stored twice, and leaves a log checkStreams accepts', () => {
    const log = [logged('e1', 'user-a', 1, 0), logged('e2', 'user-a', 2, 1), logged('e2', 'user-a', 2, 2)];
    const { log: kept, copies } = withoutCopies(log);
    expect(copies.map((c) => c.offset)).toEqual([2n]);
    expect(checkStreams(kept).problems).toEqual([]);
    expect(checkStreams(log).problems).not.toEqual([]);
  });

  it('keeps an event id repeated at another version: a second decision, which checkStreams reports', () => {
    const log = [logged('e1', 'user-a', 1, 0), logged('e1', 'user-a', 2, 1)];
    const { log: kept, copies } = withoutCopies(log);
    expect(copies).toEqual([]);
    expect(checkStreams(kept).problems).toEqual(['duplicate event id e1 (user-a v2)']);
  });
});
