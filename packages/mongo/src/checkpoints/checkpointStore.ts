import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { Coalescer } from '../batching/coalescer';
import { boundedBulkWrite } from '../writes/boundedBulkWrite';

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
  /** Partitions checkpointing at the same time share one bulk write (in order: a later store of a partition wins). */
  private readonly writes: Coalescer<Omit<Checkpoint, '_id'>, void>;

  constructor(db: Db, name: string) {
    this.collection = db.collection<Checkpoint>(name);
    this.writes = new Coalescer((checkpoints) =>
      boundedBulkWrite(
        this.collection,
        checkpoints.map(({ partition, offset }): AnyBulkWriteOperation<Checkpoint> => ({
          replaceOne: {
            filter: { _id: String(partition) },
            replacement: { partition, offset },
            upsert: true,
          },
        })),
      ),
    );
  }

  async store(partition: number, offset: string): Promise<void> {
    await this.writes.submit({ partition, offset });
  }

  /** Every partition's checkpoint: partition → offset of the last record processed. */
  async readAll(): Promise<Map<number, bigint>> {
    const all = await this.collection.find({}).batchSize(100_000).toArray();
    return new Map(all.map((c) => [c.partition, BigInt(c.offset)]));
  }
}
