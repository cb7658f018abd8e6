import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { latestPerKey, withDeadline } from '@eventfold/core';
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
import type { Logger } from '@eventfold/observability';
import { PartitionOwnerRunner } from '../partitionOwner/partitionOwnerRunner';
import { PartitionReader } from '../reading/partitionReader';
import { ensureTopics } from '../topics/ensureTopics';
import { kafkaGroupConsumer } from './kafkaGroupConsumer';
import { retryWhileTopicUnknown } from './metadataRetry';
import { topicPartitionCounts, transactionAppender } from './transactionAppender';

export interface KafkaEventLogOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  /** Prefixes the groups of the log's own readers (partition reads): isolated environments side by side. */
  readonly readerGroupPrefix: string;
  readonly replicationFactor?: number;
  readonly minInsyncReplicas?: number;
}

/** The longest an append waits for Kafka (the producer retries within it), as kafkajs's request timeout. */
const SEND_TIMEOUT_MS = 30_000;
/** Records that one produce request carries at most: Kafka caps a request (1 MB), a command is ~0.3 KB. */
const MAX_RECORDS_PER_SEND = 1000;

interface PendingAppend {
  readonly batches: readonly TopicRecords[];
  resolve(landed: AppendedRecord[][]): void;
  reject(error: unknown): void;
}

/** The first appends of `queue` (at least one) up to `maxRecords` records in all, taken off the queue. */
function takeGroup(queue: PendingAppend[], maxRecords: number): PendingAppend[] {
  let records = 0;
  let count = 0;
  while (count < queue.length) {
    const size = queue[count]!.batches.reduce((n, b) => n + b.records.length, 0);
    if (count > 0 && records + size > maxRecords) break;
    records += size;
    count++;
  }
  return queue.splice(0, count);
}

/**
 * The event log port on Kafka (kafkajs): the first implementation, over the adapters the services used directly
 * before (ensureTopics, PartitionReader, PartitionOwnerRunner, consumer groups).
 */
export class KafkaEventLog implements EventLog {
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;
  private uncommittedAdmin: Promise<Admin> | null = null;
  private producer: Promise<Producer> | null = null;
  private readonly pending: PendingAppend[] = [];
  private sendingNow = false;
  private readonly readers = new Map<string, Promise<PartitionReader>>();
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly partitionCounts;

  constructor(private readonly o: KafkaEventLogOptions) {
    this.admin = o.kafka.admin();
    this.partitionCounts = topicPartitionCounts(this.admin);
  }

  /**
   * An admin whose ListOffsets asks READ_UNCOMMITTED, answered with the high watermark (kafkajs's own admin asks
   * READ_COMMITTED: the last stable offset); made on first use (patches/kafkajs@2.2.4.patch adds the option).
   */
  private writtenEndsAdmin(): Promise<Admin> {
    this.uncommittedAdmin ??= (async () => {
      const admin = this.o.kafka.admin({ readUncommitted: true });
      await admin.connect();
      this.closers.push(() => admin.disconnect());
      return admin;
    })().catch((error: unknown) => {
      this.uncommittedAdmin = null;
      throw error;
    });
    return this.uncommittedAdmin;
  }

  private connect(): Promise<void> {
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = null;
      throw error;
    });
    return this.connected;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    await this.connect();
    const withReplication = specs.map((s) => ({
      ...s,
      replicationFactor: this.o.replicationFactor ?? 1,
      config: { 'min.insync.replicas': String(this.o.minInsyncReplicas ?? 1), ...s.config },
    }));
    await retryWhileTopicUnknown(() => ensureTopics(this.admin, withReplication));
  }

  async partitionCount(topic: string): Promise<number | null> {
    await this.connect();
    if (!(await this.admin.listTopics()).includes(topic)) return null;
    return this.partitionCounts(topic);
  }

  async partitionEnds(topic: string, options: { readonly written?: boolean } = {}): Promise<bigint[]> {
    await this.connect();
    const offsets = await (options.written ? await this.writtenEndsAdmin() : this.admin).fetchTopicOffsets(
      topic,
    );
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => BigInt(o.high));
  }

  /**
   * Appends through an idempotent producer, one send at a time; a producer whose send failed is replaced, never
   * reused. kafkajs rolls a partition's sequence number back when a send fails, even if the broker stored the batch
   * and only the answer was lost; the next batch then reuses that number and the broker, taking it for a retry,
   * acknowledges it without writing it (seen through a TCP fault proxy resetting connections). A new producer gets
   * a new producer id, whose sequences start afresh.
   *
   * The appends that arrive while a send is in flight go together in the next one (group commit): one produce
   * request for all of them, so that concurrent callers (the command service's requests) share round trips instead
   * of queueing one round trip each. A failed send fails every append it carried.
   */
  append(batches: readonly TopicRecords[]): Promise<AppendedRecord[][]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batches, resolve, reject });
      if (!this.sendingNow) void this.sendPending();
    });
  }

  private async sendPending(): Promise<void> {
    this.sendingNow = true;
    try {
      while (this.pending.length > 0) {
        const group = takeGroup(this.pending, MAX_RECORDS_PER_SEND);
        try {
          const landed = await this.appendNow(group.flatMap((g) => g.batches));
          let next = 0;
          for (const append of group) {
            append.resolve(landed.slice(next, next + append.batches.length));
            next += append.batches.length;
          }
        } catch (error) {
          for (const append of group) append.reject(error);
        }
      }
    } finally {
      this.sendingNow = false;
    }
  }

  private async appendNow(batches: readonly TopicRecords[]): Promise<AppendedRecord[][]> {
    await this.connect();
    this.producer ??= (async () => {
      const producer = this.o.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 3, maxRetryTime: 2000 },
      });
      await producer.connect();
      return producer;
    })();
    const current = this.producer;
    try {
      // Bounded: a send kafkajs never settles (lost in a connection reset) would hold every append behind it.
      return await withDeadline(
        (async () => transactionAppender(await current, this.partitionCounts).append(batches))(),
        SEND_TIMEOUT_MS,
        'an append to the event log',
      );
    } catch (error) {
      if (this.producer === current) this.producer = null;
      void current
        .then((p) => withDeadline(p.disconnect(), 5000, 'a producer disconnect'))
        .catch(() => undefined);
      throw error;
    }
  }

  private reader(topic: string): Promise<PartitionReader> {
    let reader = this.readers.get(topic);
    if (!reader) {
      reader = PartitionReader.start(this.o.kafka, [topic], this.o.logger, this.o.readerGroupPrefix);
      reader.catch(() => this.readers.delete(topic));
      this.readers.set(topic, reader);
    }
    return reader;
  }

  async readPartition(
    topic: string,
    partition: number,
    from: bigint,
    onRecord: (record: LogRecord) => void,
  ): Promise<number> {
    const pending = this.reader(topic);
    const reader = await pending;
    if (!reader.usable && this.readers.get(topic) === pending) {
      // Its consumer crashed for good (kafkajs gave up restarting it): the next read gets a new reader.
      this.readers.delete(topic);
      void reader.stop();
    }
    return reader.read(topic, partition, from, onRecord);
  }

  latestByKey(topic: string, partition: number): Promise<LogRecord[]> {
    return latestPerKey((onRecord) => this.readPartition(topic, partition, 0n, onRecord));
  }

  async runPartitionOwners<State>(options: PartitionOwnerOptions<State>): Promise<PartitionOwnership> {
    await this.connect();
    const runner = new PartitionOwnerRunner({
      kafka: this.o.kafka,
      groupId: options.groupId,
      inputTopic: options.inputTopic,
      transactionalIdPrefix: options.groupId,
      handler: options.handler,
      logger: this.o.logger,
      onFatal: options.onFatal,
      partitionCounts: this.partitionCounts,
      ...(options.observer ? { observer: options.observer } : {}),
      ...(options.maxRecordsPerTransaction
        ? { maxRecordsPerTransaction: options.maxRecordsPerTransaction }
        : {}),
      ...(options.maxConsecutiveFailures ? { maxConsecutiveFailures: options.maxConsecutiveFailures } : {}),
      ...(options.sessionTimeoutMs ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    });
    try {
      await runner.start();
    } catch (error) {
      await runner.stop();
      throw error;
    }
    this.closers.push(() => runner.stop());
    return runner;
  }

  async consume(options: GroupConsumerOptions): Promise<GroupConsumer> {
    const consumer = await kafkaGroupConsumer(this.o.kafka, options, this.o.logger);
    this.closers.push(() => consumer.stop());
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closers.splice(0).map((close) => close()));
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.allSettled(readers.map(async (r) => (await r).stop()));
    const producer = this.producer;
    this.producer = null;
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
    this.connected = null;
  }
}
