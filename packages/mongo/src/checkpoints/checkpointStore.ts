import type { Collection, Db } from 'mongodb';

/** How far the read model has applied one partition: the offset of the last record processed. */
export interface Checkpoint {
  readonly _id: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Per-partition checkpoints of a read model version, on the primary shard. The projector stores one after each
 * batch; the query service reads them to honour consistency tokens.
 */
export class CheckpointStore {
  private readonly collection: Collection<Checkpoint>;

  /** `maxTimeMS`: how long the server may work on a read before it gives up (none: unbounded). */
  constructor(
    db: Db,
    name: string,
    private readonly maxTimeMS?: number,
  ) {
    this.collection = db.collection<Checkpoint>(name);
  }

  async store(partition: number, offset: string): Promise<void> {
    await this.collection.replaceOne({ _id: String(partition) }, { partition, offset }, { upsert: true });
  }

  /** Every partition's checkpoint: partition → offset of the last record processed. */
  async readAll(): Promise<Map<number, bigint>> {
    const all = await this.collection
      .find({}, this.maxTimeMS === undefined ? {} : { maxTimeMS: this.maxTimeMS })
      .batchSize(100_000)
      .toArray();
    return new Map(all.map((c) => [c.partition, BigInt(c.offset)]));
  }
}
