import { toUserEventRecord } from '@eventfold/avro';
import type { PersonalDataCodec } from '@eventfold/crypto';
import {
  ERASED,
  type ApplyOutcome,
  type LogRecord,
  type PositionedEvent,
  type ProcessingContext,
} from '@eventfold/core';
import { createLogger, Registry } from '@eventfold/observability';
import type { RecordedUserEvent, UserEventDocument, UserReadStore } from '@eventfold/users-domain';
import { projectorMetrics } from '../projectorMetrics';
import type { DeadLetters } from './deadLetters';
import { EventProjector } from './eventProjector';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const streamId = `user-${userId}`;
const event = (version: number, type: string, data: Record<string, unknown>) =>
  ({
    type,
    data: { userId, ...data },
    metadata: {
      eventId: `e${version}`,
      streamId,
      version,
      occurredAt: version,
      correlationId: 'c',
      causationId: 'k',
      actor: 'a',
    },
  }) as RecordedUserEvent;
const life = [
  event(1, 'UserRegistered', { name: 'Ada Lovelace', email: 'ada@example.com', locale: null }),
  event(2, 'UserNameChanged', { oldName: 'Ada Lovelace', newName: 'Ada King', reason: null }),
  event(3, 'UserNameChanged', { oldName: 'Ada King', newName: 'Ada Byron', reason: null }),
  event(4, 'UserForgotten', { reason: null }),
];
const recordOf = (e: RecordedUserEvent, offset: number): LogRecord => ({
  key: Buffer.from(streamId),
  value: Buffer.from(JSON.stringify(e)),
  offset: String(offset),
  timestamp: String(offset),
});

/**
 * A read store in memory that notes, at each `apply`, what a reader could then see: the history as stored and the
 * events being applied. What the projector does in between is what a concurrent read finds.
 */
function memoryStore() {
  const history = new Map<number, RecordedUserEvent>();
  const seenAtApply: RecordedUserEvent[][] = [];
  const store: Partial<UserReadStore> = {
    warm: async () => undefined,
    forgetCached: () => undefined,
    async apply(events: readonly PositionedEvent<RecordedUserEvent>[]): Promise<ApplyOutcome> {
      seenAtApply.push([...history.values(), ...events.map((p) => p.event)]);
      for (const { event: e } of events) history.set(e.metadata.version, e);
      return { applied: events.length, duplicates: 0, failed: null, shardMillis: [] };
    },
    async eraseHistory(_stream: string, before: number) {
      let erased = 0;
      for (const [version, e] of history)
        if (version < before && e.type === 'UserNameChanged' && e.data.newName !== ERASED) {
          history.set(version, { ...e, data: { ...e.data, oldName: ERASED, newName: ERASED } });
          erased += 1;
        } else if (version < before && e.type === 'UserRegistered' && e.data.name !== ERASED) {
          history.set(version, { ...e, data: { ...e.data, name: ERASED, email: ERASED } });
          erased += 1;
        }
      return erased;
    },
    history: async () => [] as UserEventDocument[],
  };
  return { store: store as UserReadStore, seenAtApply };
}

function projector(store: UserReadStore) {
  const codec = {
    prefetchKeys: async () => undefined,
    decode: async (bytes: Buffer) => toUserEventRecord(JSON.parse(bytes.toString()) as RecordedUserEvent),
  } as unknown as PersonalDataCodec;
  return new EventProjector({
    log: {} as never,
    groupId: 'g',
    topic: 'users.events',
    codec,
    store,
    evictKey: () => undefined,
    deadLetters: {} as DeadLetters,
    metrics: projectorMetrics(new Registry()),
    logger: createLogger('projector', 'silent'),
    maxAttempts: 3,
    maxMessagesPerCommit: 100,
    sessionTimeoutMs: 30_000,
    onFatal: () => undefined,
  });
}

const context: ProcessingContext = { partition: 0, sleep: async () => undefined };
const holdsPersonalData = (events: RecordedUserEvent[]) =>
  JSON.stringify(events.filter((e) => e.type !== 'UserForgotten')).match(/Ada|ada@/) !== null;

describe('EventProjector and a forget', () => {
  it('erases the history stored before a forget before the forget is applied', async () => {
    const { store, seenAtApply } = memoryStore();
    const p = projector(store);
    await p.handle([recordOf(life[0]!, 0), recordOf(life[1]!, 1), recordOf(life[2]!, 2)], context);
    await p.handle([recordOf(life[3]!, 3)], context);
    expect(holdsPersonalData(seenAtApply[0]!)).toBe(true);
    // What a reader could see when the forget became visible: no earlier version with a name or an address.
    expect(seenAtApply[1]!.map((e) => e.metadata.version)).toEqual([1, 2, 3, 4]);
    expect(holdsPersonalData(seenAtApply[1]!)).toBe(false);
  });

  it('stores the events before a forget in the same slice erased', async () => {
    const { store, seenAtApply } = memoryStore();
    await projector(store).handle(
      life.map((e, i) => recordOf(e, i)),
      context,
    );
    expect(seenAtApply).toHaveLength(1);
    expect(holdsPersonalData(seenAtApply[0]!)).toBe(false);
  });
});
