import type {
  BatchControl,
  EventLog,
  GroupConsumer,
  GroupConsumerOptions,
  LogRecord,
  RecordBatch,
} from '../ports/eventLog';
import { retry } from '../retry/retry';
import type { RetryPolicy } from '../retry/retryPolicy';
import { sleep } from '../retry/sleep';
import {
  ProcessingAbandoned,
  type MessageHandler,
  type ProcessingContext,
  type RecordFailure,
} from './messageHandler';

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** The part of a logger the processor writes to (pino's fits). */
export interface ProcessorLogger {
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
}

export interface MessageProcessorOptions extends Pick<
  GroupConsumerOptions,
  'groupId' | 'topic' | 'partitionsConsumedConcurrently' | 'sessionTimeoutMs'
> {
  readonly log: EventLog;
  readonly handler: MessageHandler;
  readonly logger: ProcessorLogger;
  /** Records per `handle` call. */
  readonly sliceSize: number;
  /**
   * Handled records are committed (and checkpointed) once this many are waiting, or when the last commit is this
   * long ago, and at the end of a batch: a crash redoes at most that much, which the handler makes harmless.
   */
  readonly commitEvery: { readonly records: number; readonly ms: number };
  /** The waits after a `handle` that threw; attempts are unbounded (a dependency away is waited out). */
  readonly failureRetry: RetryPolicy;
  /** The attempts at a record that fails for a reason of its own before it is dead-lettered (needs `deadLetter`). */
  readonly recordRetry?: RetryPolicy;
  /** The consumer crashed for good: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
}

/** How often a long wait tells the group this member is alive. */
const HEARTBEAT_EVERY_MS = 250;

/**
 * The one consumer loop (docs/architecture.md#the-consumer-loop): a consumer group on `topic`, read_committed,
 * each partition's records handled in order, in slices, partitions side by side. A slice's records are committed
 * only once handled; a handler that throws is retried with backoff, a record that keeps failing is dead-lettered,
 * and a partition taken away is let go at once.
 */
export async function startMessageProcessor(options: MessageProcessorOptions): Promise<GroupConsumer> {
  let stopped = false;
  const consumer = await options.log.consume({
    groupId: options.groupId,
    topic: options.topic,
    fromBeginning: true,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    sessionTimeoutMs: options.sessionTimeoutMs,
    onJoin: (partitions) => {
      options.logger.info({ group: options.groupId, partitions }, 'joined the consumer group');
      options.handler.assigned?.(partitions);
    },
    onCrash: (error, restarting) => {
      options.logger.error({ err: error, group: options.groupId, restart: restarting }, 'consumer crashed');
      if (!restarting && !stopped) options.onFatal(error);
    },
    eachBatch: (batch, control) => processBatch(batch, control, options, () => stopped),
  });
  return {
    get joined() {
      return !stopped && consumer.joined;
    },
    async stop() {
      stopped = true;
      await consumer.stop();
    },
  };
}

/** What a handler sets of its consumer loop: everything but the handler, which is itself. */
export type MessageProcessorSettings = Omit<MessageProcessorOptions, 'handler'>;

/**
 * A handler that runs its own consumer loop ({@link startMessageProcessor}): the projector's `EventProjector` and
 * the notifier's `NotifierConsumer` extend it, and say only what their records mean.
 */
export abstract class MessageProcessor implements MessageHandler {
  private consumer: GroupConsumer | null = null;

  protected constructor(private readonly settings: MessageProcessorSettings) {}

  /** Whether the group has taken this member in (with or without partitions). */
  get isJoined(): boolean {
    return this.consumer?.joined ?? false;
  }

  async start(): Promise<void> {
    this.consumer = await startMessageProcessor({ ...this.settings, handler: this });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  abstract handle(
    records: readonly LogRecord[],
    context: ProcessingContext,
  ): Promise<{ readonly failed?: RecordFailure }>;
}

async function processBatch(
  batch: RecordBatch,
  control: BatchControl,
  options: MessageProcessorOptions,
  isStopped: () => boolean,
): Promise<void> {
  const { partition } = batch;
  const active = () => control.isActive() && !isStopped();
  const heartbeat = () =>
    control.heartbeat().catch((error: unknown) => {
      throw new ProcessingAbandoned(`heartbeat failed (${(error as Error).message})`);
    });
  const context: ProcessingContext = {
    partition,
    sleep: async (ms) => {
      const until = Date.now() + ms;
      for (;;) {
        if (!active()) throw new ProcessingAbandoned(`partition ${partition} is no longer ours`);
        if (Date.now() >= until) return;
        await sleep(Math.min(until - Date.now(), HEARTBEAT_EVERY_MS));
        await heartbeat();
      }
    },
  };
  const commit = async (last: LogRecord) => {
    // The checkpoint (what readers wait for) and the group's offset are independent: side by side.
    await Promise.all([options.handler.checkpoint?.(last, batch), control.commit(last.offset)]).catch(
      (error: unknown) => {
        // Lost the partition meanwhile, most likely: its next owner redoes these records, which is harmless.
        options.logger.warn({ err: error, partition, offset: last.offset }, 'could not commit offsets');
        throw new ProcessingAbandoned(`the commit failed (${(error as Error).message})`);
      },
    );
  };
  await options.handler.prepare?.(batch.records).catch(() => undefined);
  let handled: LogRecord | null = null;
  let waiting = 0;
  let committedAt = Date.now();
  try {
    for (let start = 0; start < batch.records.length && active(); start += options.sliceSize) {
      const slice = batch.records.slice(start, start + options.sliceSize);
      await handleSlice(slice, context, options);
      handled = slice.at(-1)!;
      waiting += slice.length;
      if (waiting >= options.commitEvery.records || Date.now() - committedAt >= options.commitEvery.ms) {
        await commit(handled);
        waiting = 0;
        committedAt = Date.now();
      }
      await heartbeat();
    }
  } catch (error) {
    if (!(error instanceof ProcessingAbandoned)) throw error;
    options.logger.info({ partition, why: error.message }, 'stopped working on a batch');
  } finally {
    if (handled !== null && waiting > 0) await commit(handled).catch(() => undefined);
  }
}

/** A record that failed for a reason of its own, on its way through `retry`. */
class RecordFailed extends Error {
  constructor(readonly failure: Error) {
    super(failure.message);
  }
}

/** Handles a slice to its end: throws retried without bound, a record that keeps failing dead-lettered. */
async function handleSlice(
  records: readonly LogRecord[],
  context: ProcessingContext,
  options: MessageProcessorOptions,
): Promise<void> {
  const { handler } = options;
  const untilDone = <T>(work: () => Promise<T>, rest: readonly LogRecord[]) =>
    retry(work, {
      ...options.failureRetry,
      retryIf: (error) => !(error instanceof ProcessingAbandoned),
      sleep: context.sleep,
      onRetry: (error, failures, retryInMs) =>
        options.logger.warn(
          { err: error, partition: context.partition, offset: rest[0]?.offset, failures, retryInMs },
          'could not handle records; retrying',
        ),
    });
  // Without a dead-letter topic, a record is tried until it succeeds, as if its failure were a throw.
  const recordRetry = (handler.deadLetter && options.recordRetry) || options.failureRetry;
  let rest = records;
  while (rest.length > 0) {
    const gaveUp = await retry(
      async () => {
        const { failed } = await untilDone(() => handler.handle(rest, context), rest);
        if (failed) {
          rest = rest.slice(failed.index);
          throw new RecordFailed(failed.error);
        }
      },
      { ...recordRetry, retryIf: (error) => error instanceof RecordFailed, sleep: context.sleep },
    ).then(
      () => null,
      (error: unknown) => {
        if (error instanceof RecordFailed) return error.failure;
        throw error;
      },
    );
    if (gaveUp === null) return;
    const record = rest[0]!;
    await untilDone(() => handler.deadLetter!(record, gaveUp, recordRetry.maxAttempts ?? 1, context), rest);
    rest = rest.slice(1);
  }
}
