import type { BatchControl, EventLog, GroupConsumer, LogRecord as KafkaMessage } from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import { DeliveryAbandoned, type DeliveryControl } from '../delivery/deliveryControl';

export type RecordHandler = (
  message: KafkaMessage,
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
  readonly onProcessingFailure?: () => void;
  /**
   * Work for a whole batch before its records are handled one by one (fetching their data keys in one call). A
   * failure is not the batch's: each record then does that work itself.
   */
  readonly prepareBatch?: (records: readonly KafkaMessage[]) => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Within a batch, settled offsets are committed after this many records or this long, whichever comes first: a
 * crash redoes at most that much (as suppressed duplicates), however slowly the partition moves.
 */
const COMMIT_EVERY_RECORDS = 50;
const COMMIT_EVERY_MS = 500;

/**
 * The notifier's consumer group on users.events, read_committed. Each partition's records are handled one after
 * the other (a user's emails follow the order of their events); partitions run concurrently. A record's offset is
 * committed only once its notifications are settled, so a crash or a rebalance redelivers at most the unsettled
 * tail, which the ledger turns into suppressed duplicates.
 */
export class NotifierConsumer {
  private consumer: GroupConsumer | null = null;
  private stopping = false;

  constructor(private readonly o: NotifierConsumerOptions) {}

  /** Whether the group has taken this member in (with or without partitions). */
  get isJoined(): boolean {
    return !this.stopping && (this.consumer?.joined ?? false);
  }

  async start(): Promise<void> {
    this.consumer = await this.o.log.consume({
      groupId: this.o.groupId,
      topic: this.o.topic,
      fromBeginning: true,
      sessionTimeoutMs: this.o.sessionTimeoutMs,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
      onJoin: (partitions) => this.o.logger.info({ partitions }, 'joined the notifier group'),
      onCrash: (error, restarting) => {
        this.o.logger.error({ err: error, restart: restarting }, 'notifier consumer crashed');
        if (!restarting && !this.stopping) this.o.onFatal(error);
      },
      eachBatch: async (batch, batchControl) => {
        const partition = batch.partition;
        const active = () => batchControl.isActive() && !this.stopping;
        const control: DeliveryControl = {
          sleep: async (ms) => {
            const until = Date.now() + ms;
            for (;;) {
              if (!active()) throw new DeliveryAbandoned(`partition ${partition} is no longer ours`);
              const left = until - Date.now();
              if (left <= 0) return;
              await sleep(Math.min(left, 250));
              await batchControl.heartbeat().catch((error: unknown) => {
                throw new DeliveryAbandoned(`heartbeat failed (${(error as Error).message})`);
              });
            }
          },
        };
        await this.o.prepareBatch?.(batch.records).catch(() => undefined);
        let settled: string | null = null;
        let uncommitted = 0;
        let committedAt = Date.now();
        try {
          for (const message of batch.records) {
            if (!active()) break;
            await this.handle(message, partition, control);
            settled = message.offset;
            if (++uncommitted >= COMMIT_EVERY_RECORDS || Date.now() - committedAt >= COMMIT_EVERY_MS) {
              await this.commit(batchControl, partition, settled);
              uncommitted = 0;
              committedAt = Date.now();
            }
            await batchControl.heartbeat();
          }
        } catch (error) {
          if (!(error instanceof DeliveryAbandoned) && !isRebalance(error)) throw error;
          this.o.logger.info({ partition, why: (error as Error).message }, 'stopped working on a batch');
        } finally {
          if (settled !== null && uncommitted > 0) await this.commit(batchControl, partition, settled);
        }
      },
    });
  }

  /** A record until it is settled: failures that are not the record's fault are retried, with backoff. */
  private async handle(message: KafkaMessage, partition: number, control: DeliveryControl): Promise<void> {
    for (let failures = 0; ; failures++) {
      try {
        return await this.o.handler(message, partition, control);
      } catch (error) {
        if (error instanceof DeliveryAbandoned) throw error;
        this.o.onProcessingFailure?.();
        const pause = Math.min(
          this.o.failureBackoff.maxMs,
          this.o.failureBackoff.baseMs * 2 ** Math.min(failures, 20),
        );
        this.o.logger.warn(
          { err: error, partition, offset: message.offset, failures: failures + 1, retryInMs: pause },
          'could not settle a record; retrying it',
        );
        await control.sleep(pause);
      }
    }
  }

  private async commit(control: BatchControl, partition: number, offset: string): Promise<void> {
    try {
      await control.commit(offset);
    } catch (error) {
      // Lost the partition meanwhile: its new owner redoes these records, and the ledger suppresses the repeats.
      this.o.logger.warn({ err: error, partition, offset }, 'could not commit offsets');
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
  }
}

function isRebalance(error: unknown): boolean {
  const type = (error as { type?: string } | null)?.type ?? '';
  return [
    'REBALANCE_IN_PROGRESS',
    'NOT_COORDINATOR_FOR_GROUP',
    'ILLEGAL_GENERATION',
    'UNKNOWN_MEMBER_ID',
  ].includes(type);
}
