import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { InfrastructureError } from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import { READER_FETCH_WAIT_MS } from '../client/fetchWait';

interface ActiveRead {
  next: bigint;
  readonly end: bigint;
  count: number;
  readonly onMessage: (message: KafkaMessage) => void;
  readonly done: () => void;
  readonly fail: (error: Error) => void;
}

/**
 * Reads single partitions from an offset to their end (as of the start of the read), read_committed. kafkajs has
 * no manual assignment, so one long-lived consumer in a group of its own holds every partition of its topics,
 * all paused; a read seeks and resumes one partition, and pauses it again at the end. Ends are detected from
 * batch offsets, control records included (a transactional partition always ends with a commit marker).
 */
export class PartitionReader {
  private readonly reads = new Map<string, ActiveRead>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Set when the consumer crashed and kafkajs will not restart it: every read fails, the owner starts a new reader. */
  private stoppedBy: unknown = null;

  private constructor(
    private readonly consumer: Consumer,
    private readonly admin: Admin,
  ) {}

  static async start(
    kafka: Kafka,
    topics: readonly string[],
    logger: Logger,
    groupPrefix = 'eventfold-reader',
  ): Promise<PartitionReader> {
    const consumer = kafka.consumer({
      groupId: `${groupPrefix}-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: READER_FETCH_WAIT_MS,
      retry: { retries: 10 },
    });
    const admin = kafka.admin();
    await Promise.all([consumer.connect(), admin.connect()]);
    const reader = new PartitionReader(consumer, admin);
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    // Batches with records end a read from eachBatch, which can tell a batch fetched before the read's seek (stale:
    // its offsets say nothing about this read). Batches holding nothing but control records (a partition ending with
    // a commit marker) are announced only here; eventfold's kafkajs patch leaves stale ones unannounced, since one
    // fetched at the end of a previous read could end the next read before the records after its seek.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) reader.progress(payload.topic, payload.partition, payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error({ err: payload.error, restart: payload.restart }, 'partition reader crashed');
      if (!payload.restart) reader.stoppedBy = payload.error;
      for (const read of reader.reads.values()) read.fail(payload.error);
    });
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    // Every partition not being read stays paused. kafkajs refuses pause() while its group is (re)starting, e.g. when
    // a freshly started broker's coordinator is still loading: then the next join pauses them.
    const pauseIdle = () => {
      try {
        consumer.pause(
          metadata.topics.map((t) => ({
            topic: t.name,
            partitions: t.partitions
              .map((p) => p.partitionId)
              .filter((p) => !reader.reads.has(`${t.name}:${p}`)),
          })),
        );
      } catch (error) {
        logger.debug({ err: error }, 'partition reader not running yet: pausing at the next join');
      }
    };
    consumer.on(consumer.events.GROUP_JOIN, pauseIdle);
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isStale }) => {
        const read = reader.reads.get(`${batch.topic}:${batch.partition}`);
        if (!read || isStale()) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < read.next || offset >= read.end) continue;
          read.onMessage(message);
          read.count++;
          read.next = offset + 1n;
        }
        reader.progress(batch.topic, batch.partition, batch.lastOffset());
      },
    });
    pauseIdle();
    return reader;
  }

  /**
   * Calls `onMessage` for every committed record of `topic`/`partition` from `from` up to the partition's end as it
   * is now, in offset order, and answers how many there were. Reads of one partition run one after the other.
   */
  read(
    topic: string,
    partition: number,
    from: bigint,
    onMessage: (message: KafkaMessage) => void,
  ): Promise<number> {
    if (this.stoppedBy !== null) {
      return Promise.reject(
        new InfrastructureError('PARTITION_READER_STOPPED', 'The partition reader stopped after a crash', {
          retriable: true,
          cause: this.stoppedBy,
        }),
      );
    }
    const key = `${topic}:${partition}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.readNow(topic, partition, from, onMessage));
    this.queues.set(key, next);
    return next;
  }

  private async readNow(
    topic: string,
    partition: number,
    from: bigint,
    onMessage: (message: KafkaMessage) => void,
  ): Promise<number> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const end = BigInt(offsets.find((o) => o.partition === partition)?.high ?? '0');
    if (from >= end) return 0;
    const key = `${topic}:${partition}`;
    return new Promise<number>((resolve, reject) => {
      // Settles exactly once, whatever kafkajs does meanwhile: a crash of the consumer fails the read, and pausing a
      // consumer that is restarting throws (its next join pauses every idle partition anyway).
      const settle = (outcome: () => void) => {
        if (this.reads.get(key) !== read) return;
        this.reads.delete(key);
        this.pauseQuietly(topic, partition);
        outcome();
      };
      const read: ActiveRead = {
        next: from,
        end,
        count: 0,
        onMessage,
        done: () => settle(() => resolve(read.count)),
        fail: (error) => settle(() => reject(error)),
      };
      this.reads.set(key, read);
      try {
        this.consumer.seek({ topic, partition, offset: from.toString() });
        this.consumer.resume([{ topic, partitions: [partition] }]);
      } catch (error) {
        // kafkajs refuses a seek while its consumer restarts after a crash: the caller retries later.
        read.fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private pauseQuietly(topic: string, partition: number): void {
    try {
      this.consumer.pause([{ topic, partitions: [partition] }]);
    } catch {
      // Not running (restarting after a crash): the next join pauses every partition not being read.
    }
  }

  private progress(topic: string, partition: number, lastOffset: string): void {
    const read = this.reads.get(`${topic}:${partition}`);
    if (!read) return;
    if (read.next >= read.end || BigInt(lastOffset) + 1n >= read.end) read.done();
  }

  /** False once the consumer crashed for good: its reads all fail, so whoever holds it should start another. */
  get usable(): boolean {
    return this.stoppedBy === null;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.admin.disconnect()]);
  }
}
