import { fromUserEventRecord, RecordDecodeError } from '@eventfold/avro';
import type { PersonalDataCodec } from '@eventfold/crypto';
import {
  InfrastructureError,
  MessageProcessor,
  type EventLog,
  type LogRecord,
  type PositionedEvent,
  type ProcessingContext,
  type RecordBatch,
  type RecordFailure,
} from '@eventfold/core';
import {
  eraseBeforeForgets,
  forgetVersions,
  isEmailStreamId,
  type RecordedUserEvent,
  type UserReadStore,
} from '@eventfold/users-domain';
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

/**
 * Projects users.events into the read model, as the handler of core's consumer loop (`startMessageProcessor`):
 * per slice of `maxMessagesPerCommit` records, decode, erase the history of users forgotten, apply under the
 * version guard; the loop then stores the checkpoint and commits the offset. A record that cannot be decoded, or an
 * event that still cannot apply after `maxAttempts`, is dead-lettered. Offsets are committed only after the read
 * model has the slice: a crash means redelivery, which the guard skips
 * (docs/decisions/0005-projector-exactly-once-in-effect.md).
 */
export class EventProjector extends MessageProcessor {
  constructor(private readonly o: EventProjectorOptions) {
    super({
      ...o,
      sliceSize: o.maxMessagesPerCommit,
      commitEvery: { records: o.maxMessagesPerCommit, ms: 0 },
      failureRetry: { initialDelayMs: 500, maxDelayMs: 10_000, jitter: 0.2 },
      recordRetry: { initialDelayMs: 10, maxDelayMs: 1000, maxAttempts: o.maxAttempts },
    });
  }

  get ready(): boolean {
    return this.isJoined;
  }

  /** Partitions may have moved: documents cached for streams another instance now writes are stale. */
  assigned(): void {
    this.o.store.forgetCached();
  }

  /**
   * Applies the records' events up to the first record that cannot be decoded, or that fails to apply, and says
   * which one that is. A registry that is down is not the record's fault: that throws.
   */
  async handle(
    records: readonly LogRecord[],
    { partition }: ProcessingContext,
  ): Promise<{ failed?: RecordFailure }> {
    // The reservation streams' events (decision 0016) share the topic and are not users': nothing to project. They
    // keep their place, so that a failure's index still names a record of `records`.
    const ours = records.map((m) => !isEmailStreamId(m.key?.toString()));
    const users = records.filter((_, i) => ours[i]);
    // The slice's data keys and its streams' documents are looked up side by side (records are keyed by stream).
    await Promise.all([
      this.o.codec.prefetchKeys(users),
      this.o.store.warm([...new Set(users.flatMap((m) => (m.key ? [m.key.toString()] : [])))]),
    ]);
    const decoded = await Promise.all(
      records.map((m, i) => (ours[i] ? this.decode(m, partition) : Promise.resolve(null))),
    );
    const undecodable = decoded.findIndex((d) => d instanceof Error);
    const events: PositionedEvent<RecordedUserEvent>[] = [];
    const indexOf: number[] = [];
    (undecodable < 0 ? decoded : decoded.slice(0, undecodable)).forEach((d, i) => {
      if (d === null || d instanceof Error) return;
      events.push(d);
      indexOf.push(i);
    });
    const failed = events.length > 0 ? await this.apply(events) : null;
    if (failed) return { failed: { ...failed, index: indexOf[failed.index]! } };
    return undecodable < 0 ? {} : { failed: { index: undecodable, error: decoded[undecodable] as Error } };
  }

  /**
   * Applies events under the version guard; answers what failed. A forget is erased before it shows: the history
   * stored before it is rewritten first, and the events before it in this slice are stored erased, so that no read
   * ever finds the forget beside a version that still holds the personal data.
   */
  private async apply(events: readonly PositionedEvent<RecordedUserEvent>[]) {
    const forgets = forgetVersions(events);
    await this.eraseForgotten(forgets);
    const outcome = await this.o.store.apply(eraseBeforeForgets(events, forgets));
    this.o.metrics.applied.inc(outcome.applied);
    this.o.metrics.duplicates.inc(outcome.duplicates);
    outcome.shardMillis.forEach(
      (ms, shard) =>
        ms !== undefined && this.o.metrics.shardWriteSeconds.observe({ shard: String(shard) }, ms / 1000),
    );
    return outcome.failed;
  }

  /** The event of a record, or why the record cannot give one (a failure that is not the record's throws). */
  private async decode(
    message: LogRecord,
    partition: number,
  ): Promise<PositionedEvent<RecordedUserEvent> | Error> {
    try {
      const decoded = await this.o.codec.decode(message.value, {
        topic: this.o.topic,
        partition,
        offset: message.offset,
      });
      const event = fromUserEventRecord(decoded.record, decoded.value);
      return { event, partition, offset: message.offset, recordedAt: Number(message.timestamp) };
    } catch (error) {
      // Only what says it is the infrastructure's (a retriable InfrastructureError: the registry down) waits; any
      // other failure counts against the record, which is tried `maxAttempts` times and then dead-lettered.
      if (error instanceof InfrastructureError && error.retriable) throw error;
      return error as Error;
    }
  }

  /**
   * Before the forgets are applied: each forgotten user's stored history is erased and their cached data key
   * dropped. Also on a redelivery, or when the forget then fails to apply: erasing twice changes nothing, and a
   * forget in the log is the user's wish whether or not the read model has shown it yet.
   */
  private async eraseForgotten(forgets: ReadonlyMap<string, number>): Promise<void> {
    for (const [streamId, version] of forgets) {
      this.o.evictKey(streamId);
      const erased = await this.o.store.eraseHistory(streamId, version);
      this.o.logger.info({ streamId, version, erased }, 'erased the history of a forgotten user');
    }
  }

  async deadLetter(message: LogRecord, error: Error, attempts: number, { partition }: ProcessingContext) {
    this.o.logger.error(
      { err: error, partition, offset: message.offset, attempts },
      'dead-lettering a record the projector cannot use',
    );
    await this.o.deadLetters.send({ message, topic: this.o.topic, partition, error, attempts });
    this.o.metrics.deadLettered.inc({
      reason: error instanceof RecordDecodeError ? 'undecodable' : 'unapplicable',
    });
  }

  /** The checkpoint is what consistency tokens wait for; the lag is what it says is still to do. */
  async checkpoint(last: LogRecord, batch: RecordBatch): Promise<void> {
    await this.o.store.storeCheckpoint(batch.partition, last.offset);
    this.o.metrics.lagMessages.set(
      { partition: batch.partition },
      Math.max(0, Number(batch.highWatermark) - 1 - Number(last.offset)),
    );
    this.o.metrics.lagSeconds.set(
      { partition: batch.partition },
      Math.max(0, (Date.now() - Number(last.timestamp)) / 1000),
    );
  }
}
