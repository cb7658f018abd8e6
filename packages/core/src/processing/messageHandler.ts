import type { LogRecord, RecordBatch } from '../ports/eventLog';

/** What a handler is lent while it works on records of one partition. */
export interface ProcessingContext {
  readonly partition: number;
  /**
   * Waits `ms`, keeping the group membership alive. Throws {@link ProcessingAbandoned} when the partition was
   * taken away or the processor is stopping: what is not committed yet is for the partition's next owner.
   */
  sleep(ms: number): Promise<void>;
}

/** A record that failed for a reason of its own: the records before it are handled, it and those after are not. */
export interface RecordFailure {
  readonly index: number;
  readonly error: Error;
}

/**
 * What a consumer group does with its records (the projector's read model, the notifier's emails); the
 * {@link startMessageProcessor} loop does the rest: slices, commits, retries and dead letters.
 */
export interface MessageHandler {
  /**
   * Handles records of one partition, in offset order. Answers `{ failed }` when a record failed for a reason of
   * its own (the records before it handled): it is tried again, and when the attempts are used up it goes to
   * `deadLetter`. A throw says the failure is not the records' (a dependency away): they are tried again, with
   * backoff, for as long as the partition is this member's. Handling must be idempotent: records come again after
   * a crash, a rebalance or a replay.
   */
  handle(
    records: readonly LogRecord[],
    context: ProcessingContext,
  ): Promise<{ readonly failed?: RecordFailure }>;
  /** Gives up on a record that failed every attempt (to a dead-letter topic); the partition moves on. */
  deadLetter?(record: LogRecord, error: Error, attempts: number, context: ProcessingContext): Promise<void>;
  /** Stores the position of the last handled record (a read model's checkpoint), side by side with the commit. */
  checkpoint?(last: LogRecord, batch: RecordBatch): Promise<void>;
  /** Work for a whole batch before it is handled (fetching its data keys in one call); a failure is ignored. */
  prepare?(records: readonly LogRecord[]): Promise<void>;
  /** The group assigned this member `partitions`: what it cached of partitions it had may be stale. */
  assigned?(partitions: readonly number[]): void;
}

/** The partition was taken away or the processor is stopping: stop working on it, commit nothing more for it. */
export class ProcessingAbandoned extends Error {
  constructor(why: string) {
    super(`Processing abandoned: ${why}`);
    this.name = 'ProcessingAbandoned';
  }
}
