import type { AnyBulkWriteOperation, Collection, Db, OptionalUnlessRequiredId } from 'mongodb';
import type { ApplyOutcome, PositionedEvent as CorePositionedEvent } from '@eventfold/core';
import { planProjection, StreamGapError, type RecordedUserEvent } from '@eventfold/users-domain';
import type { ShardSet } from '../sharding/shardSet';
import { findByIds } from '../reads/findByIds';
import { boundedBulkWrite, serialised } from '../writes/boundedBulkWrite';
import type { ReadModelCollections, UserDocument, UserEventDocument } from './documents';

/** An event as read from its partition. */
export type PositionedEvent = CorePositionedEvent<RecordedUserEvent>;
export type { ApplyOutcome };
export { StreamGapError };

/**
 * Writes user events into the sharded read model under a version guard (docs/decisions/0005-projector-exactly-once-in-effect.md): an event applies
 * only at version v-1 of its document; lower is a duplicate and is skipped; higher is a gap and an error. Current
 * versions are read first and only what applies is written (FerretDB aborts an unordered bulk at its first error).
 * Safe because one consumer owns a partition, and a stream lives in one partition.
 */
export class UserReadModelWriter {
  constructor(
    private readonly shards: ShardSet,
    private readonly names: ReadModelCollections,
  ) {}

  /**
   * The documents of the streams this process writes, as last written. The projector is their only writer while it
   * owns their partitions, so after the first read they need no lookup (on FerretDB every lookup is a scan, see
   * findByIds). Cleared on every rebalance.
   */
  private readonly cache = new Map<string, UserDocument | null>();
  private readonly maxCached = 200_000;

  /** Forget every cached document: another writer may own some streams now. */
  forgetCached(): void {
    this.cache.clear();
  }

  /** A stream's document as last written, or null: known not to exist (looked up by `warm`, not written since). */
  private remember(id: string, doc: UserDocument | null): void {
    this.cache.delete(id);
    this.cache.set(id, doc);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Looks up the documents of streams not cached yet, and remembers them (or that there is none). */
  async warm(streamIds: readonly string[]): Promise<void> {
    const current = await this.currentDocuments(streamIds);
    for (const id of streamIds) if (!this.cache.has(id)) this.remember(id, current.get(id) ?? null);
  }

  private async currentDocuments(streamIds: readonly string[]): Promise<Map<string, UserDocument>> {
    const current = new Map<string, UserDocument>();
    const missing = streamIds.filter((id) => {
      if (!this.cache.has(id)) return true;
      const cached = this.cache.get(id);
      if (cached) current.set(id, cached);
      return false;
    });
    const byShard = new Map<number, string[]>();
    for (const id of missing)
      byShard.set(this.shards.indexOf(id), [...(byShard.get(this.shards.indexOf(id)) ?? []), id]);
    await Promise.all(
      [...byShard].map(async ([shard, ids]) => {
        for (const doc of await findByIds(this.users(this.shards.dbs[shard]!), ids))
          current.set(doc._id, doc);
      }),
    );
    return current;
  }

  /**
   * Inserts documents in one command (one connection on FerretDB). When some exist already (a crash after they
   * were written, before the offset was committed), inserts the others, and replaces the existing ones only when
   * asked: history documents are immutable facts, identical on every redelivery, and stay as they are.
   */
  private async insertMissing<T extends { _id: string }>(
    db: Db,
    collection: Collection<T>,
    docs: readonly T[],
    replaceExisting: boolean,
  ): Promise<void> {
    if (docs.length === 0) return;
    try {
      await collection.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: true });
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    const ids = docs.map((d) => d._id);
    const existing = new Set((await findByIds(collection, ids)).map((d) => String(d._id)));
    const missing = docs.filter((d) => !existing.has(d._id));
    if (missing.length > 0)
      await collection.insertMany(missing as OptionalUnlessRequiredId<T>[], { ordered: true });
    if (replaceExisting) {
      const replacements = docs
        .filter((d) => existing.has(d._id))
        .map(
          (doc) =>
            ({
              replaceOne: { filter: { _id: doc._id }, replacement: doc },
            }) as unknown as AnyBulkWriteOperation<T>,
        );
      await serialised(db, () => boundedBulkWrite(collection, replacements));
    }
  }

  private users(db: Db): Collection<UserDocument> {
    return db.collection<UserDocument>(this.names.users);
  }

  private history(db: Db): Collection<UserEventDocument> {
    return db.collection<UserEventDocument>(this.names.events);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all(
      this.shards.dbs.map(async (db) => {
        await this.users(db).createIndex({ nameKey: 1, _id: 1 });
        await this.history(db).createIndex({ streamId: 1, version: 1 }, { unique: true });
        await this.history(db).createIndex({ streamId: 1, occurredAt: 1 });
        // The all-users follow feed reads each partition in offset order.
        await this.history(db).createIndex({ partition: 1, offset: 1 });
      }),
    );
  }

  /** Applies events of one partition, in log order, up to the first that cannot apply. */
  async apply(events: readonly PositionedEvent[]): Promise<ApplyOutcome> {
    const streamIds = [...new Set(events.map((e) => e.event.metadata.streamId))];
    const current = await this.currentDocuments(streamIds);
    const plan = planProjection(events, current);
    const { applied, duplicates, failed } = plan;
    const writes = new Map<number, { history: UserEventDocument[]; users: Map<string, UserDocument> }>();
    const pendingOf = (streamId: string) => {
      const shard = this.shards.indexOf(streamId);
      const pending = writes.get(shard) ?? { history: [], users: new Map<string, UserDocument>() };
      writes.set(shard, pending);
      return pending;
    };
    for (const doc of plan.history) pendingOf(doc.streamId).history.push(doc);
    for (const [streamId, doc] of plan.users) pendingOf(streamId).users.set(streamId, doc);

    const shardMillis: number[] = [];
    try {
      await Promise.all(
        [...writes].map(async ([shard, { history, users }]) => {
          const started = Date.now();
          const db = this.shards.dbs[shard]!;
          // History first: a crash between the two leaves history ahead of the document, which a redelivery repairs.
          // New documents are inserted in one command (one connection); history a crash left behind is kept. Inserts
          // of the partitions go to a shard side by side; only updates queue (boundedBulkWrite says why).
          await this.insertMissing(db, this.history(db), history, false);
          await this.insertMissing(
            db,
            this.users(db),
            [...users.values()].filter((u) => !current.has(u._id)),
            true,
          );
          const replacements = [...users.values()]
            .filter((u) => current.has(u._id))
            .map((doc): AnyBulkWriteOperation<UserDocument> => ({
              replaceOne: { filter: { _id: doc._id }, replacement: doc },
            }));
          if (replacements.length > 0)
            await serialised(db, () => boundedBulkWrite(this.users(db), replacements));
          shardMillis[shard] = Date.now() - started;
        }),
      );
    } catch (error) {
      // What was written is unknown: read those streams from the database next time.
      for (const id of streamIds) this.cache.delete(id);
      throw error;
    }
    for (const { users } of writes.values()) for (const [id, doc] of users) this.remember(id, doc);
    return { applied, duplicates, failed, shardMillis };
  }
}
