import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '@eventfold/observability';

interface ActiveRead {
  next: bigint;
  readonly end: bigint;
  count: number;
  readonly onMessage: (message: KafkaMessage) => void;
  readonly done: () => void;
  readonly fail: (error: unknown) => void;
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
      maxWaitTimeInMs: 50,
      retry: { retries: 10 },
    });
    const admin = kafka.admin();
    await Promise.all([consumer.connect(), admin.connect()]);
    const reader = new PartitionReader(consumer, admin);
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      reader.progress(payload.topic, payload.partition, payload.lastOffset),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error({ err: payload.error }, 'partition reader crashed');
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
      const read: ActiveRead = {
        next: from,
        end,
        count: 0,
        onMessage,
        done: () => {
          this.reads.delete(key);
          this.consumer.pause([{ topic, partitions: [partition] }]);
          resolve(read.count);
        },
        fail: (error) => {
          this.reads.delete(key);
          this.consumer.pause([{ topic, partitions: [partition] }]);
          reject(error);
        },
      };
      this.reads.set(key, read);
      this.consumer.seek({ topic, partition, offset: from.toString() });
      this.consumer.resume([{ topic, partitions: [partition] }]);
    });
  }

  private progress(topic: string, partition: number, lastOffset: string): void {
    const read = this.reads.get(`${topic}:${partition}`);
    if (!read) return;
    if (read.next >= read.end || BigInt(lastOffset) + 1n >= read.end) read.done();
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.admin.disconnect()]);
  }
}
