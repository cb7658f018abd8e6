// The consumer loop over a stand-in for EventLog.consume: the batches a consumer group would hand it, and what it
// commits. The loop over real Kafka and SQLite is tested through its handlers (services/projector,
// services/notifier, services/embedded).
import type { BatchControl, EventLog, GroupConsumerOptions, LogRecord } from '../ports/eventLog';
import { InfrastructureError } from '../errors/errors';
import { ProcessingAbandoned, type MessageHandler } from './messageHandler';
import { startMessageProcessor, type MessageProcessorOptions } from './messageProcessor';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const record = (offset: number): LogRecord => ({
  key: null,
  value: Buffer.from(`record ${offset}`),
  offset: String(offset),
  timestamp: '0',
});
const records = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => record(from + i));

/** A consumer group of one partition that hands over the batches a test delivers, and records the commits. */
async function processorOver(handler: MessageHandler, extra: Partial<MessageProcessorOptions> = {}) {
  let eachBatch: GroupConsumerOptions['eachBatch'] | null = null;
  const log = {
    consume: async (options: GroupConsumerOptions) => {
      eachBatch = options.eachBatch.bind(options);
      return { joined: true, stop: async () => undefined };
    },
  } as unknown as EventLog;
  const commits: string[] = [];
  let active = true;
  const fatal: unknown[] = [];
  const processor = await startMessageProcessor({
    log,
    groupId: 'g',
    topic: 't',
    handler,
    logger: silent,
    sliceSize: 2,
    commitEvery: { records: 2, ms: 0 },
    failureRetry: { initialDelayMs: 1, maxDelayMs: 5 },
    recordRetry: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
    partitionsConsumedConcurrently: 1,
    sessionTimeoutMs: 10_000,
    onFatal: (error) => fatal.push(error),
    ...extra,
  });
  const control: BatchControl = {
    isActive: () => active,
    commit: async (offset) => void commits.push(offset),
    heartbeat: async () => undefined,
  };
  const deliver = (batch: LogRecord[]) =>
    eachBatch!({ topic: 't', partition: 0, records: batch, highWatermark: '100' }, control);
  return { processor, deliver, commits, fatal, revoke: () => (active = false) };
}

/** A handler that records what it handled, and fails as `script` says for the n-th call (from 0). */
function scripted(
  script: (call: number, batch: readonly LogRecord[]) => Promise<number | null> = async () => null,
) {
  const handled: string[] = [];
  const deadLettered: [string, number][] = [];
  const checkpoints: string[] = [];
  let calls = 0;
  const handler: MessageHandler = {
    async handle(batch) {
      const failedAt = await script(calls++, batch);
      const upTo = failedAt ?? batch.length;
      handled.push(...batch.slice(0, upTo).map((r) => r.offset));
      return failedAt === null ? {} : { failed: { index: failedAt, error: new Error('cannot use it') } };
    },
    async deadLetter(r, _error, attempts) {
      deadLettered.push([r.offset, attempts]);
    },
    async checkpoint(last) {
      checkpoints.push(last.offset);
    },
  };
  return { handler, handled, deadLettered, checkpoints };
}

describe('startMessageProcessor', () => {
  it('handles a batch in slices, in order, and commits and checkpoints each slice once it is handled', async () => {
    const { handler, handled, checkpoints } = scripted();
    const { deliver, commits } = await processorOver(handler);
    await deliver(records(0, 4));
    expect(handled).toEqual(['0', '1', '2', '3', '4']);
    expect(commits).toEqual(['1', '3', '4']);
    expect(checkpoints).toEqual(['1', '3', '4']);
  });

  it('commits every so many records when slices are smaller, and what is left at the end of the batch', async () => {
    const { handler } = scripted();
    const { deliver, commits } = await processorOver(handler, {
      sliceSize: 1,
      commitEvery: { records: 3, ms: 60_000 },
    });
    await deliver(records(0, 6));
    expect(commits).toEqual(['2', '5', '6']);
  });

  it('tries again a handler that throws (a dependency away), as long as it takes, and commits only after', async () => {
    const { handler, handled } = scripted(async (call) => {
      if (call < 4) throw new InfrastructureError('SHARD_DOWN', 'the shard does not answer');
      return null;
    });
    const { deliver, commits } = await processorOver(handler, { recordRetry: undefined });
    await deliver(records(0, 1));
    expect(handled).toEqual(['0', '1']);
    expect(commits).toEqual(['1']);
  });

  it('tries a record that fails for a reason of its own again, then dead-letters it and goes on', async () => {
    // Record 1 never works; record 0 before it is handled once, record 2 after it once.
    const { handler, handled, deadLettered } = scripted(async (_call, batch) =>
      batch[0]!.offset === '2' ? null : batch.findIndex((r) => r.offset === '1'),
    );
    const { deliver, commits } = await processorOver(handler, {
      sliceSize: 3,
      commitEvery: { records: 3, ms: 0 },
    });
    await deliver(records(0, 2));
    expect(handled).toEqual(['0', '2']);
    expect(deadLettered).toEqual([['1', 3]]);
    expect(commits).toEqual(['2']);
  });

  it('lets a partition go when it is taken away during a wait, committing only what was handled', async () => {
    const handled: string[] = [];
    let revoke: () => void = () => undefined;
    const handler: MessageHandler = {
      async handle([r], context) {
        if (r!.offset === '1') {
          revoke();
          // A delivery waiting for the relay learns at once that the partition is gone.
          await expect(context.sleep(60_000)).rejects.toBeInstanceOf(ProcessingAbandoned);
          throw new InfrastructureError('MONGO_DOWN', 'MongoDB does not answer');
        }
        handled.push(r!.offset);
        return {};
      },
    };
    const processor = await processorOver(handler, {
      sliceSize: 1,
      commitEvery: { records: 10, ms: 60_000 },
      failureRetry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    revoke = processor.revoke;
    const started = Date.now();
    await processor.deliver(records(0, 3));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(handled).toEqual(['0']);
    expect(processor.commits).toEqual(['0']);
    expect(processor.fatal).toEqual([]);
  });
});
