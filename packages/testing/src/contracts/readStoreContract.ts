import { randomUUID } from 'node:crypto';
import type { PositionedEvent } from '@eventfold/core';
import type { RecordedUserEvent, UserReadStore } from '@eventfold/users-domain';

/** A read store under test (empty, of its own), and how to close and drop it. */
export interface ReadStoreSubject {
  readonly store: UserReadStore;
  close(): Promise<void>;
}

const at = (iso: string) => Date.parse(iso);

/** The events of one user, positioned on `partition` (3) from `offset`, one minute apart from `start`. */
function userStream(name: string, start: string, offset = 0, partition = 3) {
  const userId = randomUUID();
  const streamId = `user-${userId}`;
  let version = 0;
  const events: PositionedEvent<RecordedUserEvent>[] = [];
  let current = name;
  const add = (type: string, data: Record<string, unknown>) => {
    version++;
    const occurredAt = at(start) + (version - 1) * 60_000;
    events.push({
      event: {
        type,
        data,
        metadata: {
          eventId: randomUUID(),
          streamId,
          version,
          occurredAt,
          correlationId: 'corr',
          causationId: 'cause',
          actor: 'test',
        },
      } as RecordedUserEvent,
      partition,
      offset: String(offset + version - 1),
      recordedAt: occurredAt + 5,
    });
    return stream;
  };
  const stream = {
    userId,
    streamId,
    events,
    registered: () => add('UserRegistered', { userId, name, email: `${userId}@example.com`, locale: null }),
    renamed: (to: string) => {
      const oldName = current;
      current = to;
      return add('UserNameChanged', { userId, oldName, newName: to, reason: null });
    },
  };
  return stream;
}

/**
 * The read store contract (docs/decisions/0010-embedded-mode-on-sqlite.md): the projector's guarded writes and checkpoints and the query
 * service's reads, run against every implementation (MongoDB in `*.int.spec.ts`, SQLite in `*.unit.spec.ts`).
 */
export function readStoreContract(implementation: string, open: () => Promise<ReadStoreSubject>): void {
  describe(`read store contract: ${implementation}`, () => {
    let subject: ReadStoreSubject;
    let store: UserReadStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
      await store.ensureSchema();
      await store.ensureSchema();
    });
    afterAll(async () => {
      await subject?.close();
    });

    it('applies events under the version guard: duplicates are skipped, a gap stops the slice', async () => {
      const ada = userStream('Ada Byron', '2026-11-26T10:00:00Z').registered().renamed('Ada King');
      expect(await store.apply(ada.events.slice(0, 1))).toMatchObject({
        applied: 1,
        duplicates: 0,
        failed: null,
      });
      expect(await store.apply(ada.events)).toMatchObject({ applied: 1, duplicates: 1, failed: null });
      const doc = await store.findDocument(ada.streamId);
      expect(doc).toMatchObject({
        _id: ada.streamId,
        id: ada.userId,
        name: 'Ada King',
        nameKey: 'ada king',
        version: 2,
      });
      expect(doc!.createdAt).toEqual(new Date(at('2026-11-26T10:00:00Z')));
      expect(doc!.updatedAt).toEqual(new Date(at('2026-11-26T10:01:00Z')));
      expect(doc!.lastEvent).toEqual({ partition: 3, offset: '1' });

      const bob = userStream('Bob', '2026-11-26T10:00:00Z').registered().renamed('Bobby').renamed('Robert');
      const outcome = await store.apply([bob.events[0]!, bob.events[2]!]);
      expect(outcome).toMatchObject({ applied: 1, duplicates: 0 });
      expect(outcome.failed).toMatchObject({ index: 1, error: { code: 'STREAM_VERSION_GAP' } });
      expect((await store.findDocument(bob.streamId))!.version).toBe(1);
      expect(await store.findDocument(`user-${randomUUID()}`)).toBeNull();
    });

    it('reads history in version order, as of a time or a version, and after a version with a limit', async () => {
      const cy = userStream('Cy', '2026-11-26T12:00:00Z').registered().renamed('Cyrus').renamed('Cyril');
      await store.apply(cy.events);
      const versions = (docs: { version: number }[]) => docs.map((d) => d.version);
      expect(versions(await store.history(cy.streamId, {}))).toEqual([1, 2, 3]);
      expect(versions(await store.history(cy.streamId, { atVersion: 2 }))).toEqual([1, 2]);
      expect(versions(await store.history(cy.streamId, { asOf: new Date('2026-11-26T12:01:30Z') }))).toEqual([
        1, 2,
      ]);
      expect(versions(await store.history(cy.streamId, { afterVersion: 1, limit: 1 }))).toEqual([2]);
      const [first] = await store.history(cy.streamId, { limit: 1 });
      expect(first).toMatchObject({
        _id: `${cy.streamId}:1`,
        eventId: cy.events[0]!.event.metadata.eventId,
        streamId: cy.streamId,
        type: 'UserRegistered',
        data: { name: 'Cy' },
        metadata: { correlationId: 'corr', causationId: 'cause', actor: 'test' },
        partition: 3,
        offset: '0',
      });
      expect(first!.occurredAt).toEqual(new Date('2026-11-26T12:00:00Z'));
      expect(first!.recordedAt).toEqual(new Date(at('2026-11-26T12:00:00Z') + 5));
    });

    it('reads a partition in offset order (numeric, not by the characters), up to a bound, of some types', async () => {
      const at = (events: PositionedEvent<RecordedUserEvent>[], offsets: number[]) =>
        events.map((e, i) => ({ ...e, offset: String(offsets[i]) }));
      const ann = userStream('Ann', '2026-11-26T08:00:00Z', 0, 5)
        .registered()
        .renamed('Anna')
        .renamed('Anne');
      const ben = userStream('Ben', '2026-11-26T08:00:00Z', 0, 5).registered().renamed('Benny');
      await store.apply(at(ann.events, [8, 10, 100]));
      await store.apply(at(ben.events, [9, 11]));
      const offsets = (docs: { offset: string }[]) => docs.map((d) => d.offset);
      expect(offsets(await store.partitionHistory(5, { after: null, upTo: 1000n, limit: 10 }))).toEqual([
        '8',
        '9',
        '10',
        '11',
        '100',
      ]);
      expect(offsets(await store.partitionHistory(5, { after: 9n, upTo: 1000n, limit: 2 }))).toEqual([
        '10',
        '11',
      ]);
      expect(offsets(await store.partitionHistory(5, { after: null, upTo: 10n, limit: 10 }))).toEqual([
        '8',
        '9',
        '10',
      ]);
      expect(offsets(await store.partitionHistory(5, { after: 11n, upTo: 99n, limit: 10 }))).toEqual([]);
      const registrations = await store.partitionHistory(5, {
        after: null,
        upTo: 1000n,
        limit: 10,
        types: ['UserRegistered'],
      });
      expect(registrations.map((d) => [d.offset, d.streamId])).toEqual([
        ['8', ann.streamId],
        ['9', ben.streamId],
      ]);
      expect(await store.partitionHistory(6, { after: null, upTo: 1000n, limit: 10 })).toEqual([]);
    });

    it('searches names by case-insensitive literal substring in (name, id) order, after a keyset cursor', async () => {
      const tag = randomUUID().slice(0, 8);
      const names = [`Zed ${tag}`, `alpha ${tag}`, `Beta ${tag}`, `beta ${tag}`, `Gamma (x.*) ${tag}`];
      const streams = names.map((n) => userStream(n, '2026-11-26T09:00:00Z').registered());
      for (const s of streams) await store.apply(s.events);
      const found = await store.search({ nameContains: tag.toUpperCase(), limit: 10 });
      expect(found.map((d) => d.name)).toEqual([
        `alpha ${tag}`,
        ...[`Beta ${tag}`, `beta ${tag}`].sort((a, b) => {
          const [x, y] = [streams[names.indexOf(a)]!.streamId, streams[names.indexOf(b)]!.streamId];
          return x < y ? -1 : 1;
        }),
        `Gamma (x.*) ${tag}`,
        `Zed ${tag}`,
      ]);
      const page = await store.search({ nameContains: tag, limit: 2 });
      expect(page).toHaveLength(2);
      const rest = await store.search({
        nameContains: tag,
        limit: 10,
        after: [page[1]!.nameKey, page[1]!._id],
      });
      expect([...page, ...rest].map((d) => d._id)).toEqual(found.map((d) => d._id));
      expect((await store.search({ nameContains: `(x.*) ${tag}`, limit: 10 })).map((d) => d.name)).toEqual([
        `Gamma (x.*) ${tag}`,
      ]);
      expect(await store.search({ nameContains: `x.* ${tag}`, limit: 10 })).toEqual([]);
    });

    it('keeps one checkpoint per partition and answers whether it is healthy', async () => {
      await store.storeCheckpoint(0, '41');
      await store.storeCheckpoint(0, '42');
      await store.storeCheckpoint(7, '9007199254740993');
      const checkpoints = await store.readCheckpoints();
      expect(checkpoints.get(0)).toBe(42n);
      expect(checkpoints.get(7)).toBe(9007199254740993n);
      const health = await store.health();
      expect(Object.keys(health).length).toBeGreaterThan(0);
      expect(Object.values(health).every(Boolean)).toBe(true);
    });
  });
}
