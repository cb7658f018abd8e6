import { fromUserEventRecord, RecordDecodeError } from '@eventfold/avro';
import type { PersonalDataCodec } from '@eventfold/crypto';
import {
  isRetriable,
  type EventLog,
  type GroupConsumer,
  type LogRecord as KafkaMessage,
  type PositionedEvent,
} from '@eventfold/core';
import { isEmailStreamId, type RecordedUserEvent, type UserReadStore } from '@eventfold/users-domain';
import type { Logger } from '@eventfold/observability';
import type { ProjectorMetrics } from '../projectorMetrics';
import type { DeadLetters } from './deadLetters';

export interface EventProjectorOptions {
  readonly log: EventLog;
  readonly groupId: string;
  readonly topic: string;
  /** Decodes and decrypts: a forgotten user's events come with their personal fields erased. */
  readonly codec: PersonalDataCodec;
  /** Where the read model is written: its documents, history and checkpoints. */
  readonly store: UserReadStore;
  /** Drops a cached data key: called on UserForgotten, whoever deleted the key. */
  readonly evictKey: (streamId: string) => void;
  readonly deadLetters: DeadLetters;
  readonly metrics: ProjectorMetrics;
  readonly logger: Logger;
  readonly maxAttempts: number;
  /** Records applied between two checkpoints and offset commits. */
  readonly maxMessagesPerCommit: number;
  readonly sessionTimeoutMs: number;
  readonly onFatal: (error: unknown) => void;
}

type Item =
  | {
      readonly kind: 'event';
      readonly positioned: PositionedEvent<RecordedUserEvent>;
      readonly message: KafkaMessage;
    }
  | { readonly kind: 'poison'; readonly message: KafkaMessage; readonly error: Error };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes users.events (read_committed) into the read model. Per batch: decode, apply under the version guard,
 * dead-letter what cannot be decoded or applied after bounded attempts, store the checkpoint, commit the offset.
 * Offsets are committed only after the read model has the batch: a crash means redelivery, which the guard skips.
 */
export class EventProjector {
  private consumer: GroupConsumer | null = null;
  private stopped = false;

  constructor(private readonly o: EventProjectorOptions) {}

  get ready(): boolean {
    return this.consumer?.joined ?? false;
  }

  async start(): Promise<void> {
    this.consumer = await this.o.log.consume({
      groupId: this.o.groupId,
      topic: this.o.topic,
      fromBeginning: true,
      partitionsConsumedConcurrently: 12,
      sessionTimeoutMs: this.o.sessionTimeoutMs,
      // Partitions may have moved: documents cached for streams another instance now writes are stale.
      onJoin: () => this.o.store.forgetCached(),
      onCrash: (error, restarting) => {
        this.o.logger.error({ err: error, restart: restarting }, 'projector consumer crashed');
        if (!restarting && !this.stopped) this.o.onFatal(error);
      },
      eachBatch: async (batch, control) => {
        // In slices, each checkpointed and committed: a crash loses at most one slice of work, never a whole fetch.
        for (let start = 0; start < batch.records.length; start += this.o.maxMessagesPerCommit) {
          if (!control.isActive()) return;
          const slice = batch.records.slice(start, start + this.o.maxMessagesPerCommit);
          await this.project(slice, batch.partition);
          const last = slice.at(-1)!;
          // The checkpoint (what consistency tokens wait for) and the group's offset are independent: side by side.
          await Promise.all([
            this.o.store.storeCheckpoint(batch.partition, last.offset),
            control.commit(last.offset),
          ]);
          this.o.metrics.lagMessages.set(
            { partition: batch.partition },
            Math.max(0, Number(batch.highWatermark) - 1 - Number(last.offset)),
          );
          this.o.metrics.lagSeconds.set(
            { partition: batch.partition },
            Math.max(0, (Date.now() - Number(last.timestamp)) / 1000),
          );
          await control.heartbeat();
        }
      },
    });
  }

  /** Decodes, applies under the version guard, and dead-letters what cannot be used, in log order. */
  private async project(all: readonly KafkaMessage[], partition: number): Promise<void> {
    // The reservation streams' events (decision 0016) share the topic and are not users': nothing to project.
    const messages = all.filter((m) => !isEmailStreamId(m.key?.toString()));
    // The slice's data keys and its streams' documents are looked up side by side (records are keyed by stream).
    await Promise.all([
      this.o.codec.prefetchKeys(messages),
      this.o.store.warm([...new Set(messages.flatMap((m) => (m.key ? [m.key.toString()] : [])))]),
    ]);
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
      this.o.evictKey(streamId);
      const erased = await this.o.store.eraseHistory(streamId, version);
      this.o.logger.info({ streamId, version, erased }, 'erased the history of a forgotten user');
    }
  }

  /** Applies consecutive events; an event that cannot apply is retried, then dead-lettered, and the rest go on. */
  private async applySegment(segment: Item[], partition: number): Promise<void> {
    let rest = segment.filter((i): i is Extract<Item, { kind: 'event' }> => i.kind === 'event');
    let attempts = 0;
    while (rest.length > 0) {
      const outcome = await this.o.store.apply(rest.map((i) => i.positioned));
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
    await this.consumer?.stop();
  }
}
