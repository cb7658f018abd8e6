import type { Filter } from 'mongodb';
import type { HistoryRange, PartitionRange, SearchQuery } from '@eventfold/core';
import type { UserReadStore } from '@eventfold/users-domain';
import { CheckpointStore } from '../checkpoints/checkpointStore';
import { offsetBands } from './offsetBands';
import { escapeRegex } from './regex';
import type { ShardSet } from '../sharding/shardSet';
import type { ReadModelCollections, UserDocument, UserEventDocument } from './documents';
import { eraseHistory } from './historyErasure';
import { UserReadModelWriter } from './userReadModelWriter';

export interface MongoReadStoreOptions {
  /**
   * The server's limit on each read (documents, history, search, checkpoints): a search that scans stops when the
   * client stops waiting (its socket timeout) instead of going on for nobody. None: unbounded (the projector).
   */
  readonly maxTimeMS?: number;
}

/**
 * The users read store on MongoDB shards (docs/decisions/0014-sharded-read-model.md): documents and history on the shard of their
 * stream, checkpoints on the primary shard, searches fanned out over every shard and merged. `names` is asked on
 * every read, so a reader follows a blue/green switch of the read model version.
 */
export class MongoReadStore implements UserReadStore {
  private readonly writer: UserReadModelWriter;
  private readonly readOptions: { maxTimeMS?: number };

  constructor(
    private readonly shards: ShardSet,
    private readonly names: () => ReadModelCollections,
    private readonly options: MongoReadStoreOptions = {},
  ) {
    this.writer = new UserReadModelWriter(shards, names());
    this.readOptions = options.maxTimeMS === undefined ? {} : { maxTimeMS: options.maxTimeMS };
  }

  private checkpoints(): CheckpointStore {
    return new CheckpointStore(this.shards.primary, this.names().checkpoints, this.options.maxTimeMS);
  }

  private users(streamId: string) {
    return this.shards.forStream(streamId).collection<UserDocument>(this.names().users);
  }

  private historyOf(streamId: string) {
    return this.shards.forStream(streamId).collection<UserEventDocument>(this.names().events);
  }

  ensureSchema(): Promise<void> {
    return this.writer.ensureIndexes();
  }

  eraseHistory(streamId: string, before: number): Promise<number> {
    return eraseHistory(this.shards, this.names(), streamId, before);
  }

  apply(events: Parameters<UserReadModelWriter['apply']>[0]) {
    return this.writer.apply(events);
  }

  forgetCached(): void {
    this.writer.forgetCached();
  }

  warm(streamIds: readonly string[]): Promise<void> {
    return this.writer.warm(streamIds);
  }

  storeCheckpoint(partition: number, offset: string): Promise<void> {
    return this.checkpoints().store(partition, offset);
  }

  readCheckpoints(): Promise<Map<number, bigint>> {
    return this.checkpoints().readAll();
  }

  findDocument(streamId: string): Promise<UserDocument | null> {
    return this.users(streamId).findOne({ _id: streamId }, this.readOptions);
  }

  async history(streamId: string, range: HistoryRange): Promise<UserEventDocument[]> {
    const version = {
      ...(range.atVersion !== undefined ? { $lte: range.atVersion } : {}),
      ...(range.afterVersion !== undefined ? { $gt: range.afterVersion } : {}),
    };
    const filter: Filter<UserEventDocument> = {
      streamId,
      ...(range.asOf ? { occurredAt: { $lte: range.asOf } } : {}),
      ...(Object.keys(version).length > 0 ? { version } : {}),
    };
    const cursor = this.historyOf(streamId).find(filter, this.readOptions).sort({ version: 1 });
    if (range.limit !== undefined) cursor.limit(range.limit).batchSize(range.limit + 1);
    else cursor.batchSize(100_000);
    return cursor.toArray();
  }

  /**
   * A partition's events are on every shard (shards go by stream): each shard is read in offset order and the
   * answers merged, one band of offsets of one length at a time (offsetBands), until `limit` are found.
   */
  async partitionHistory(partition: number, range: PartitionRange): Promise<UserEventDocument[]> {
    const found: UserEventDocument[] = [];
    const from = range.after === null ? 0n : range.after + 1n;
    for (const band of offsetBands(from, range.upTo)) {
      const wanted = range.limit - found.length;
      if (wanted <= 0) break;
      const filter: Filter<UserEventDocument> = {
        partition,
        offset: { $gte: band.from, $lte: band.to, $regex: `^[0-9]{${band.digits}}$` },
        ...(range.types ? { type: { $in: [...range.types] } } : {}),
      };
      const perShard = await Promise.all(
        this.shards.dbs.map((db) =>
          db
            .collection<UserEventDocument>(this.names().events)
            .find(filter, this.readOptions)
            .sort({ offset: 1 })
            .limit(wanted)
            .batchSize(wanted + 1)
            .toArray(),
        ),
      );
      found.push(
        ...perShard
          .flat()
          .sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0))
          .slice(0, wanted),
      );
    }
    return found;
  }

  async search({ nameContains, after, limit }: SearchQuery): Promise<UserDocument[]> {
    const conditions: Filter<UserDocument>[] = [];
    if (nameContains) conditions.push({ nameKey: { $regex: escapeRegex(nameContains.toLowerCase()) } });
    if (after)
      conditions.push({
        $or: [{ nameKey: { $gt: after[0] } }, { nameKey: after[0], _id: { $gt: after[1] } }],
      });
    const filter: Filter<UserDocument> =
      conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0]! : { $and: conditions };
    const perShard = await Promise.all(
      this.shards.dbs.map((db) =>
        db
          .collection<UserDocument>(this.names().users)
          .find(filter, this.readOptions)
          .sort({ nameKey: 1, _id: 1 })
          .limit(limit)
          .batchSize(limit + 1)
          .toArray(),
      ),
    );
    return perShard
      .flat()
      .sort((a, b) =>
        a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0,
      )
      .slice(0, limit);
  }

  async health(): Promise<Record<string, boolean>> {
    const pings = await this.shards.ping();
    return Object.fromEntries(pings.map((ok, i) => [`shard${i}`, ok]));
  }

  close(): Promise<void> {
    return this.shards.close();
  }
}
