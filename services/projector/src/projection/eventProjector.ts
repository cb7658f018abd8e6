import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { fromUserEventRecord, RecordDecodeError } from '@eventfold/avro';
import type { PersonalDataCodec } from '@eventfold/crypto';
import { isRetriable } from '@eventfold/core';
import type { CheckpointStore, PositionedEvent, UserReadModelWriter } from '@eventfold/mongo';
import type { Logger } from '@eventfold/observability';
import type { ProjectorMetrics } from '../projectorMetrics';
import type { DeadLetters } from './deadLetters';

export interface EventProjectorOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  /** Decodes and decrypts: a forgotten user's events come with their personal fields erased. */
  readonly codec: PersonalDataCodec;
  readonly writer: UserReadModelWriter;
  /** What a UserForgotten event does besides its own projection. */
  readonly forgotten: ForgottenUsers;
  readonly checkpoints: CheckpointStore;
  readonly deadLetters: DeadLetters;
  readonly metrics: ProjectorMetrics;
  readonly logger: Logger;
  readonly maxAttempts: number;
  /** Records applied between two checkpoints and offset commits. */
  readonly maxMessagesPerCommit: number;
  readonly sessionTimeoutMs: number;
  readonly onFatal: (error: unknown) => void;
}

/** On UserForgotten: the cached key is dropped, and the history stored before it rewritten in erased form. */
export interface ForgottenUsers {
  evict(streamId: string): void;
  /** Erases the personal fields of the stream's stored events of versions 1..before-1. */
  eraseHistory(streamId: string, before: number): Promise<number>;
}

type Item =
  | { readonly kind: 'event'; readonly positioned: PositionedEvent; readonly message: KafkaMessage }
  | { readonly kind: 'poison'; readonly message: KafkaMessage; readonly error: Error };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes users.events (read_committed) into the read model. Per batch: decode, apply under the version guard,
 * dead-letter what cannot be decoded or applied after bounded attempts, store the checkpoint, commit the offset.
 * Offsets are committed only after the read model has the batch: a crash means redelivery, which the guard skips.
 */
export class EventProjector {
  private readonly consumer: Consumer;
  private joined = false;
  private stopped = false;

  constructor(private readonly o: EventProjectorOptions) {
    this.consumer = o.kafka.consumer({
      groupId: o.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 20,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(o.sessionTimeoutMs / 10)),
    });
  }

  get ready(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      // Partitions may have moved: documents cached for streams another instance now writes are stale.
      this.o.writer.forgetCached();
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.o.logger.error({ err: payload.error, restart: payload.restart }, 'projector consumer crashed');
      if (!payload.restart && !this.stopped) this.o.onFatal(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 12,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        commitOffsetsIfNecessary,
        isStale,
        isRunning,
      }) => {
        // In slices, each checkpointed and committed: a crash loses at most one slice of work, never a whole fetch.
        for (let start = 0; start < batch.messages.length; start += this.o.maxMessagesPerCommit) {
          if (isStale() || !isRunning()) return;
          const slice = batch.messages.slice(start, start + this.o.maxMessagesPerCommit);
          await this.project(slice, batch.partition);
          const last = slice.at(-1)!;
          await this.o.checkpoints.store(batch.partition, last.offset);
          resolveOffset(last.offset);
          await commitOffsetsIfNecessary({
            topics: [
              {
                topic: batch.topic,
                partitions: [{ partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }],
              },
            ],
          });
          this.o.metrics.lagMessages.set(
            { partition: batch.partition },
            Math.max(0, Number(batch.highWatermark) - 1 - Number(last.offset)),
          );
          this.o.metrics.lagSeconds.set(
            { partition: batch.partition },
            Math.max(0, (Date.now() - Number(last.timestamp)) / 1000),
          );
          await heartbeat();
        }
      },
    });
  }

  /** Decodes, applies under the version guard, and dead-letters what cannot be used, in log order. */
  private async project(messages: readonly KafkaMessage[], partition: number): Promise<void> {
    const items = await Promise.all(messages.map((m) => this.decode(m, partition)));
    let segment: Item[] = [];
    for (const item of [...items, null]) {
      if (item?.kind === 'event') {
        segment.push(item);
        continue;
      }
      await this.applySegment(segment, partition);
      await this.eraseForgotten(segment);
      segment = [];
      if (item?.kind === 'poison')
        await this.deadLetter(item.message, partition, item.error, this.o.maxAttempts, 'undecodable');
    }
  }

  private async decode(message: KafkaMessage, partition: number): Promise<Item> {
    for (let attempt = 1; ; attempt++) {
      try {
        const decoded = await this.o.codec.decode(message.value, {
          topic: this.o.topic,
          partition,
          offset: message.offset,
        });
        const event = fromUserEventRecord(decoded.record, decoded.value);
        return {
          kind: 'event',
          message,
          positioned: { event, partition, offset: message.offset, recordedAt: Number(message.timestamp) },
        };
      } catch (error) {
        // A registry that is down is not the record's fault: let the batch fail and be fetched again later.
        if (isRetriable(error) && !(error instanceof RecordDecodeError)) throw error;
        if (attempt >= this.o.maxAttempts) return { kind: 'poison', message, error: error as Error };
        await pause(10 * attempt);
      }
    }
  }

  /**
   * After a segment is applied: each user forgotten in it has the history stored before erased. Also on a
   * redelivery (the offset was not committed when the projector stopped): erasing twice changes nothing.
   */
  private async eraseForgotten(segment: readonly Item[]): Promise<void> {
    for (const item of segment) {
      if (item.kind !== 'event' || item.positioned.event.type !== 'UserForgotten') continue;
      const { streamId, version } = item.positioned.event.metadata;
      this.o.forgotten.evict(streamId);
      const erased = await this.o.forgotten.eraseHistory(streamId, version);
      this.o.logger.info({ streamId, version, erased }, 'erased the history of a forgotten user');
    }
  }

  /** Applies consecutive events; an event that cannot apply is retried, then dead-lettered, and the rest go on. */
  private async applySegment(segment: Item[], partition: number): Promise<void> {
    let rest = segment.filter((i): i is Extract<Item, { kind: 'event' }> => i.kind === 'event');
    let attempts = 0;
    while (rest.length > 0) {
      const outcome = await this.o.writer.apply(rest.map((i) => i.positioned));
      this.o.metrics.applied.inc(outcome.applied);
      this.o.metrics.duplicates.inc(outcome.duplicates);
      outcome.shardMillis.forEach(
        (ms, shard) =>
          ms !== undefined && this.o.metrics.shardWriteSeconds.observe({ shard: String(shard) }, ms / 1000),
      );
      if (!outcome.failed) return;
      const failed = rest[outcome.failed.index]!;
      if (++attempts < this.o.maxAttempts) {
        rest = rest.slice(outcome.failed.index);
        await pause(10 * attempts);
        continue;
      }
      await this.deadLetter(failed.message, partition, outcome.failed.error, attempts, 'unapplicable');
      rest = rest.slice(outcome.failed.index + 1);
      attempts = 0;
    }
  }

  private async deadLetter(
    message: KafkaMessage,
    partition: number,
    error: Error,
    attempts: number,
    reason: string,
  ): Promise<void> {
    this.o.logger.error(
      { err: error, partition, offset: message.offset, attempts },
      'dead-lettering a record the projector cannot use',
    );
    await this.o.deadLetters.send({ message, topic: this.o.topic, partition, error, attempts });
    this.o.metrics.deadLettered.inc({ reason });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer.disconnect().catch(() => undefined);
  }
}
