import {
  MessageProcessor,
  type EventLog,
  type LogRecord,
  type ProcessingContext,
  type RecordFailure,
} from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import type { DeliveryControl } from '../delivery/deliveryControl';

export type RecordHandler = (
  message: LogRecord,
  partition: number,
  control: DeliveryControl,
) => Promise<void>;

export interface NotifierConsumerOptions {
  readonly log: EventLog;
  readonly groupId: string;
  readonly topic: string;
  readonly handler: RecordHandler;
  readonly logger: Logger;
  readonly sessionTimeoutMs: number;
  readonly partitionsConsumedConcurrently: number;
  /** Pause after a record failed for a reason other than its content (MongoDB or Kafka away): doubles to the max. */
  readonly failureBackoff: { readonly baseMs: number; readonly maxMs: number };
  /** The consumer crashed for good: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
  /**
   * Work for a whole batch before its records are handled one by one (fetching their data keys in one call). A
   * failure is not the batch's: each record then does that work itself.
   */
  readonly prepareBatch?: (records: readonly LogRecord[]) => Promise<void>;
}

/**
 * Within a batch, settled offsets are committed after this many records or this long, whichever comes first: a
 * crash redoes at most that much (as suppressed duplicates), however slowly the partition moves.
 */
const COMMIT_EVERY = { records: 50, ms: 500 };

/**
 * The notifier's consumer group on users.events, as the handler of core's consumer loop
 * (`startMessageProcessor`). Each partition's records are handled one at a time (a user's emails follow the order
 * of their events); partitions run side by side. A record is retried until it is settled: its notifications sent,
 * suppressed or dead-lettered by the delivery itself. Its offset is committed only then, so a crash or a rebalance
 * redelivers at most the unsettled tail, which the ledger turns into suppressed duplicates
 * (docs/decisions/0006-notifier-never-twice.md).
 */
export class NotifierConsumer extends MessageProcessor {
  constructor(private readonly o: NotifierConsumerOptions) {
    super({
      ...o,
      sliceSize: 1,
      commitEvery: COMMIT_EVERY,
      failureRetry: { initialDelayMs: o.failureBackoff.baseMs, maxDelayMs: o.failureBackoff.maxMs },
    });
  }

  async prepare(records: readonly LogRecord[]): Promise<void> {
    await this.o.prepareBatch?.(records);
  }

  async handle(
    records: readonly LogRecord[],
    context: ProcessingContext,
  ): Promise<{ failed?: RecordFailure }> {
    for (const record of records) await this.o.handler(record, context.partition, context);
    return {};
  }
}
