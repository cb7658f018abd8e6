import { ERASED, type PositionedEvent } from '@eventfold/core';
import type { RecordedUserEvent } from '../events';
import { at, forgotten, recorded, registered, userId } from '../testing/fixtures';
import { eraseBeforeForgets, forgetVersions } from './eraseBeforeForgets';

const positioned = (events: RecordedUserEvent[]): PositionedEvent<RecordedUserEvent>[] =>
  events.map((event, i) => ({ event, partition: 0, offset: String(i), recordedAt: i }));

describe('eraseBeforeForgets', () => {
  const renamed = {
    type: 'UserNameChanged',
    data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: null },
  } as const;

  it('erases the events of a stream that come before its forget in the batch, and no later one', () => {
    const [first, second, forget] = recorded([registered, renamed, forgotten]);
    const later = { ...recorded([renamed])[0]!, metadata: at(4) };
    const batch = positioned([first!, second!, forget!, later]);
    const out = eraseBeforeForgets(batch).map((p) => p.event);
    expect(out[0]!.data).toMatchObject({ name: ERASED, email: ERASED });
    expect(out[1]!.data).toMatchObject({ oldName: ERASED, newName: ERASED });
    expect(out[2]).toBe(forget);
    expect(out[3]).toBe(later);
  });

  it('leaves other streams, and a batch without a forget, as they are', () => {
    const other = { ...recorded([registered])[0]!, metadata: at(1, 'user-other') };
    const [, forget] = recorded([renamed, forgotten]);
    const batch = positioned([other, forget!]);
    expect(eraseBeforeForgets(batch).map((p) => p.event)).toEqual([other, forget]);
    const quiet = positioned(recorded([registered, renamed]));
    expect(eraseBeforeForgets(quiet)).toEqual(quiet);
    expect(forgetVersions(quiet).size).toBe(0);
  });

  it('keeps each event at its place in the log', () => {
    const batch = positioned(recorded([registered, forgotten]));
    expect(eraseBeforeForgets(batch).map(({ partition, offset }) => [partition, offset])).toEqual([
      [0, '0'],
      [0, '1'],
    ]);
  });
});
