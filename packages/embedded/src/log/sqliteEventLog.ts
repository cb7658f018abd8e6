import { latestPerKey } from '@eventfold/core';
import type {
  AppendedRecord,
  EventLog,
  GroupConsumer,
  GroupConsumerOptions,
  LogRecord,
  PartitionOwnerOptions,
  PartitionOwnership,
  TopicRecords,
  TopicSpec,
} from '@eventfold/core';
import type { SqliteDatabase } from '../database/openDatabase';
import { unknownTopic } from './errors';
import { GroupCoordinator } from './groupCoordinator';
import { SqliteGroupConsumer } from './groupConsumer';
import { LogStore, type PlacedRecord } from './logStore';
import { SqlitePartitionOwners } from './partitionOwners';

const READ_CHUNK = 1000;

/**
 * The event log port on SQLite, for one process (docs/decisions/0010-embedded-mode-on-sqlite.md): topics with partitions chosen by Kafka's
 * murmur2 partitioner, offsets, transactional appends across topics with the input offsets, consumer groups with
 * committed offsets, read_committed visibility and compacted topics. Records stay Avro in Confluent framing, so
 * codecs and upcasters are the same as on Kafka. Not for scale-out: that is Kafka's job.
 */
export class SqliteEventLog implements EventLog {
  private readonly store: LogStore;
  private readonly groups = new GroupCoordinator();
  private readonly members = new Set<{ stop(): Promise<void> }>();

  constructor(db: SqliteDatabase, clock: () => number = Date.now) {
    this.store = new LogStore(db, clock);
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    this.store.ensureTopics(specs);
  }

  async partitionCount(topic: string): Promise<number | null> {
    return this.store.partitionCount(topic);
  }

  async partitionEnds(topic: string, options: { readonly written?: boolean } = {}): Promise<bigint[]> {
    const count = this.store.partitionCount(topic);
    if (count === null) throw unknownTopic(topic);
    return Array.from({ length: count }, (_, p) =>
      BigInt(options.written ? this.store.writtenEnd(topic, p) : this.store.stableEnd(topic, p)),
    );
  }

  async append(batches: readonly TopicRecords[]): Promise<AppendedRecord[][]> {
    const reservation = this.store.newReservation();
    const placed: PlacedRecord[] = [];
    try {
      const landed = batches.map(({ topic, records }) => {
        const batch = this.store.place(topic, records, reservation);
        placed.push(...batch);
        return batch.map((r) => ({ partition: r.partition, offset: String(r.offset) }));
      });
      this.store.db.transaction(() => this.store.write(placed))();
      return landed;
    } finally {
      this.store.release(reservation, placed);
    }
  }

  async readPartition(
    topic: string,
    partition: number,
    from: bigint,
    onRecord: (record: LogRecord) => void,
  ): Promise<number> {
    if (this.store.partitionCount(topic) === null) throw unknownTopic(topic);
    const end = this.store.stableEnd(topic, partition);
    let position = Number(from);
    let count = 0;
    for (;;) {
      const records = this.store.read(topic, partition, position, READ_CHUNK, end);
      for (const record of records) onRecord(record);
      count += records.length;
      if (records.length < READ_CHUNK) return count;
      position = Number(records.at(-1)!.offset) + 1;
    }
  }

  latestByKey(topic: string, partition: number): Promise<LogRecord[]> {
    return latestPerKey((onRecord) => this.readPartition(topic, partition, 0n, onRecord));
  }

  async runPartitionOwners<State>(options: PartitionOwnerOptions<State>): Promise<PartitionOwnership> {
    const partitions = this.store.partitionCount(options.inputTopic);
    if (partitions === null) throw unknownTopic(options.inputTopic);
    const owners = new SqlitePartitionOwners(this.store, this.groups, options, partitions);
    this.track(owners);
    owners.start();
    return owners;
  }

  async consume(options: GroupConsumerOptions): Promise<GroupConsumer> {
    const partitions = this.store.partitionCount(options.topic);
    if (partitions === null) throw unknownTopic(options.topic);
    const consumer = new SqliteGroupConsumer(this.store, this.groups, options, partitions);
    this.track(consumer);
    consumer.start();
    return consumer;
  }

  private track<T extends { stop(): Promise<void> }>(member: T): void {
    const stop = member.stop.bind(member);
    member.stop = async () => {
      this.members.delete(member);
      await stop();
    };
    this.members.add(member);
  }

  /** Stops every consumer and owner of this log (the database stays open: whoever opened it closes it). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.members].map((m) => m.stop()));
  }
}
