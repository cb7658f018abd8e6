import type { EventJson, PartitionPage, PositionedEventJson } from '../reading/userReads';
import { feedRound, partitionsBehind } from './feedRound';

const event = (partition: number, offset: number, recordedAt: number): PositionedEventJson => ({
  event: { eventId: `${partition}:${offset}`, type: 'UserNameChanged' } as EventJson,
  partition,
  offset: BigInt(offset),
  recordedAt,
});
const page = (events: PositionedEventJson[], complete: boolean, readTo = events.at(-1)?.offset ?? null) =>
  ({ events, complete, readTo }) satisfies PartitionPage;

describe('the all-users feed, one round', () => {
  it('reads the partitions with stored events past the position, any the position does not name from the start', () => {
    const stored = new Map([
      [0, 10n],
      [1, 5n],
      [2, 0n],
      [3, -1n],
    ]);
    expect(partitionsBehind(new Map([[0, 10n]]), stored)).toEqual([1, 2]);
    expect(partitionsBehind(new Map([[1, 7n]]), stored)).toEqual([0, 2]);
  });

  it('keeps each partition in log order, goes by time across them, and gives each event the position after it', () => {
    const round = feedRound(
      new Map([[0, 3n]]),
      new Map([
        [0, { page: page([event(0, 4, 100), event(0, 9, 300)], true), upTo: 12n }],
        [1, { page: page([event(1, 0, 200), event(1, 1, 200)], false), upTo: 50n }],
      ]),
    );
    expect(round.sends.map((s) => [s.event.eventId, s.id])).toEqual([
      ['0:4', '0:4'],
      ['1:0', '0:4,1:0'],
      ['1:1', '0:4,1:1'],
      ['0:9', '0:9,1:1'],
    ]);
    // Partition 0 was read to its end (12); partition 1 has more after 1.
    expect(round.next).toEqual(
      new Map([
        [0, 12n],
        [1, 1n],
      ]),
    );
    expect(round.caughtUp).toBe(false);
  });

  it('moves past what it read and did not send (a filter, the reservation streams), sending nothing for it', () => {
    const round = feedRound(
      new Map([[2, 7n]]),
      new Map([
        [2, { page: page([], false, 40n), upTo: 90n }],
        [5, { page: page([], true, null), upTo: 3n }],
      ]),
    );
    expect(round.sends).toEqual([]);
    expect(round.next).toEqual(
      new Map([
        [2, 40n],
        [5, 3n],
      ]),
    );
  });

  it('is caught up when every page was complete', () => {
    expect(
      feedRound(new Map(), new Map([[0, { page: page([event(0, 0, 1)], true), upTo: 0n }]])).caughtUp,
    ).toBe(true);
    expect(feedRound(new Map([[0, 4n]]), new Map()).caughtUp).toBe(true);
  });
});
