// The runner's recovery when kafkajs leaves a call unanswered for good (after a connection reset): a stand-in for
// kafkajs's client objects, since a real broker cannot be made to lose one particular answer on demand. The rest of
// the runner's behaviour is tested against a real Kafka (services/command, tests/faults).
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { createLogger } from '@eventfold/observability';
import { waitFor } from '@eventfold/testing';
import {
  PartitionOwnerRunner,
  type PartitionOwnerHandler,
  type PartitionOwnerOptions,
} from './partitionOwnerRunner';

const never = () => new Promise<never>(() => undefined);

/**
 * The pieces of kafkajs the runner uses; `producers` says how each new producer's connect behaves, `commit` how the
 * transactions of the n-th producer (0-based) end.
 */
function fakeKafka(
  producers: (() => Promise<void>)[],
  commit: (producer: number) => Promise<void> = async () => {},
) {
  const consumerEvents = new EventEmitter();
  let eachBatch: ((payload: unknown) => Promise<void>) | null = null;
  const created: {
    connect: () => Promise<void>;
    disconnected: boolean;
    options: { transactionTimeout?: number };
  }[] = [];
  const kafka = {
    consumer: () => ({
      events: { GROUP_JOIN: 'join', CRASH: 'crash' },
      on: (event: string, listener: (e: unknown) => void) => consumerEvents.on(event, listener),
      connect: async () => undefined,
      subscribe: async () => undefined,
      run: async (o: { eachBatch: (payload: unknown) => Promise<void> }) => {
        eachBatch = o.eachBatch;
      },
      seek: () => undefined,
      disconnect: async () => undefined,
    }),
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchOffsets: async () => [{ topic: 'in', partitions: [{ partition: 0, offset: '-1' }] }],
    }),
    producer: (options: { transactionTimeout?: number }) => {
      const connect = producers[created.length] ?? (async () => undefined);
      const index = created.length;
      const producer = {
        connect,
        options,
        disconnected: false,
        transaction: async () => ({
          sendBatch: async () => [],
          sendOffsets: async () => undefined,
          commit: () => commit(index),
          abort: async () => undefined,
          isActive: () => true,
        }),
        // A producer whose requests are lost never finishes disconnecting either (kafkajs issue 918).
        disconnect: () => ((producer.disconnected = true), connect === never ? never() : Promise.resolve()),
      };
      created.push(producer);
      return producer;
    },
  };
  const join = (partitions: number[]) =>
    consumerEvents.emit('join', { payload: { memberAssignment: { in: partitions } } });
  let resolved = -1;
  /** kafkajs handing the runner messages of partition 0 at `offsets`; resolves when the runner is done with them. */
  const deliver = (...offsets: string[]) =>
    eachBatch!({
      batch: {
        topic: 'in',
        partition: 0,
        messages: offsets.map((offset) => ({ offset, key: null, value: null, headers: {} })),
      },
      resolveOffset: (offset: string) => (resolved = Number(offset)),
      heartbeat: async () => undefined,
      isStale: () => false,
    });
  return { kafka: kafka as unknown as Kafka, created, join, deliver, resolved: () => resolved };
}

/** A runner over the stand-in kafkajs, partition counts and names fixed; a fatal error fails the test. */
function runnerOver<State>(
  kafka: Kafka,
  handler: PartitionOwnerHandler<State>,
  extra: Partial<PartitionOwnerOptions<State>> = {},
): PartitionOwnerRunner<State> {
  return new PartitionOwnerRunner<State>({
    kafka,
    groupId: 'g',
    inputTopic: 'in',
    transactionalIdPrefix: 'g',
    handler,
    logger: createLogger('test', 'silent'),
    onFatal: (error) => {
      throw error;
    },
    partitionCounts: async () => 1,
    ...extra,
  });
}

function untilReady(runner: PartitionOwnerRunner<unknown>) {
  return waitFor(
    async () => {
      const readiness = await runner.readiness();
      return readiness.ready && readiness;
    },
    { timeoutMs: 5000, intervalMs: 20, description: 'the runner to own its partitions' },
  );
}

describe('PartitionOwnerRunner, when Kafka never answers a call', () => {
  it('gives up on an InitProducerId that never settles and restores the partition with a fresh producer', async () => {
    const { kafka, created, join } = fakeKafka([never, async () => undefined]);
    const restored: number[] = [];
    const fatal: unknown[] = [];
    const runner = runnerOver(
      kafka,
      { restore: async (p) => (restored.push(p), 'state'), process: async () => () => undefined },
      { onFatal: (e) => fatal.push(e), callTimeoutMs: 50 },
    );
    await runner.start();
    join([0]);
    expect(await untilReady(runner)).toEqual({ ready: true, detail: 'owns partitions [0]' });
    expect(created).toHaveLength(2);
    expect(created[0]!.disconnected).toBe(true); // let go, though its disconnect never finishes either
    expect(restored).toEqual([0]);
    expect(fatal).toEqual([]);
    await runner.stop();
  });
});

describe('PartitionOwnerRunner, when an owner is fenced by its own successor', () => {
  it('keeps the successor: the fenced owner lets go of the partition only if it is still the current owner', async () => {
    // The first producer's commit is held, then fails as Kafka fails a zombie's: fenced by the newer epoch.
    let failFirstCommit: (error: unknown) => void = () => undefined;
    const { kafka, join, deliver } = fakeKafka([], (producer) =>
      producer === 0 ? new Promise<void>((_, reject) => (failFirstCommit = reject)) : Promise.resolve(),
    );
    const processed: { partition: number; offsets: string[] }[] = [];
    const runner = runnerOver<string>(kafka, {
      restore: async () => 'state',
      process: async (partition, _state, messages) => {
        processed.push({ partition, offsets: messages.map((m) => m.offset) });
        return () => undefined;
      },
    });
    await runner.start();
    join([0]);
    await untilReady(runner);
    const first = deliver('0');
    await waitFor(() => processed.length > 0, {
      timeoutMs: 5000,
      intervalMs: 5,
      description: 'the first delivery to be processed',
    });
    // A rejoin (after Kafka came back) hands partition 0 to this instance again: a successor restores it, and its
    // producer's InitProducerId fences the first one, whose commit then fails.
    join([0]);
    expect(await untilReady(runner)).toEqual({ ready: true, detail: 'owns partitions [0]' });
    failFirstCommit(Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' }));
    await first;
    expect(runner.ownedPartitions()).toEqual([0]);
    await deliver('0');
    expect(processed).toEqual([
      { partition: 0, offsets: ['0'] },
      { partition: 0, offsets: ['0'] },
    ]);
    await runner.stop();
  });
});

describe('PartitionOwnerRunner, when a chunk took so long that the member lost its group', () => {
  it('gives the successor a quarter of the chunk, so that the next attempt keeps the membership', async () => {
    // A member that does not heartbeat for a session (its event loop busy with a big chunk) is dropped; it rejoins,
    // its successor's InitProducerId fences the chunk's transaction, and the same chunk would drop it again.
    let failFirstCommit: (error: unknown) => void = () => undefined;
    const { kafka, join, deliver } = fakeKafka([], (producer) =>
      producer === 0 ? new Promise<void>((_, reject) => (failFirstCommit = reject)) : Promise.resolve(),
    );
    const sizes: number[] = [];
    const runner = runnerOver<string>(kafka, {
      restore: async () => 'state',
      process: async (_partition, _state, messages) => (sizes.push(messages.length), () => undefined),
    });
    await runner.start();
    join([0]);
    await untilReady(runner);
    const offsets = Array.from({ length: 40 }, (_, i) => String(i));
    const first = deliver(...offsets);
    await waitFor(() => sizes.length > 0, {
      timeoutMs: 5000,
      intervalMs: 5,
      description: 'the first chunk to be processed',
    });
    join([0]);
    await untilReady(runner);
    failFirstCommit(Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' }));
    await first;
    await deliver(...offsets);
    expect(sizes.slice(0, 2)).toEqual([40, 10]);
    await runner.stop();
  });
});

describe('PartitionOwnerRunner, when a chunk takes longer than a transaction may', () => {
  it('retries with smaller chunks instead of the same chunk for ever, and grows back after', async () => {
    const { kafka, join, deliver, resolved } = fakeKafka([]);
    const transactions: number[] = [];
    const committed: string[] = [];
    const runner = runnerOver<string>(
      kafka,
      {
        restore: async () => 'state',
        // 20 ms a message, against a 150 ms transaction timeout: 7 messages fit, the first chunk of 40 does not.
        process: async (_partition, _state, messages) => {
          transactions.push(messages.length);
          await new Promise((resolve) => setTimeout(resolve, messages.length * 20));
          return () => committed.push(...messages.map((m) => m.offset));
        },
      },
      { transactionTimeoutMs: 150, maxRecordsPerTransaction: 40 },
    );
    await runner.start();
    join([0]);
    await untilReady(runner);
    const all = Array.from({ length: 40 }, (_, i) => String(i));
    // As kafkajs does: after a failed batch, the messages from the last resolved offset on come again.
    for (let round = 0; resolved() < 39 && round < 30; round++) {
      await untilReady(runner);
      await deliver(...all.slice(resolved() + 1));
    }
    expect(committed).toEqual(all);
    expect(transactions[0]).toBe(40);
    expect(transactions[1]).toBe(10); // a quarter of the chunk that ran out of time
    expect(Math.max(...transactions.slice(1))).toBeLessThan(40);
    // After a transaction that committed, the next may hold twice as many: 2, then 4.
    expect(transactions.join(',')).toContain('2,4');
    await runner.stop();
  });
});

describe('PartitionOwnerRunner, when chunks fail for being too big for a starved machine', () => {
  /**
   * Delivers 40 messages, again from the last resolved offset after each failed batch (as kafkajs does), until all
   * committed or 30 deliveries; a chunk of more than 7 messages fails as `failure` says. Answers the chunk sizes tried.
   */
  async function deliverAll(failure: 'produce request timed out' | 'commit past its deadline') {
    let size = 0;
    const { kafka, join, deliver, resolved } = fakeKafka([], async () => {
      // The commit of a big chunk's transaction takes longer than a call may (callTimeoutMs below).
      if (failure === 'commit past its deadline' && size > 7) await new Promise((r) => setTimeout(r, 200));
    });
    const transactions: number[] = [];
    const committed: string[] = [];
    const runner = runnerOver<string>(
      kafka,
      {
        restore: async () => 'state',
        process: async (_partition, _state, messages) => {
          transactions.push((size = messages.length));
          if (failure === 'produce request timed out' && size > 7)
            // What kafkajs throws when a broker leaves a produce request unanswered past its requestTimeout.
            throw Object.assign(new Error('Request Produce(key: 0, version: 7) timed out'), {
              name: 'KafkaJSRequestTimeoutError',
              retriable: true,
            });
          return () => committed.push(...messages.map((m) => m.offset));
        },
      },
      { maxRecordsPerTransaction: 40, callTimeoutMs: 50 },
    );
    await runner.start();
    join([0]);
    const all = Array.from({ length: 40 }, (_, i) => String(i));
    for (let round = 0; resolved() < 39 && round < 30; round++) {
      await untilReady(runner);
      await deliver(...all.slice(resolved() + 1));
    }
    await runner.stop();
    return { transactions, committed, all };
  }

  it.each(['produce request timed out', 'commit past its deadline'] as const)(
    'makes progress with smaller chunks instead of trying the same chunk for ever (%s)',
    async (failure) => {
      const { transactions, committed, all } = await deliverAll(failure);
      expect(committed).toEqual(all);
      expect(transactions.slice(0, 2)).toEqual([40, 10]); // a quarter of the chunk that failed, then …
      expect(transactions[2]).toBe(2); // … a quarter of that, which fits
      expect(transactions.join(',')).toContain('2,4'); // and twice as many after each commit
    },
  );
});

describe('PartitionOwnerRunner, and the transaction timeout it gives Kafka', () => {
  it('is past the deadline of the work plus that of the commit, so that Kafka never aborts first', async () => {
    // A transaction Kafka aborts for its timeout gets the producer fenced, and a fenced owner lets go of its partition.
    const { kafka, created, join } = fakeKafka([]);
    const runner = runnerOver(
      kafka,
      { restore: async () => 'state', process: async () => () => undefined },
      { transactionTimeoutMs: 30_000, callTimeoutMs: 20_000 },
    );
    await runner.start();
    join([0]);
    await untilReady(runner);
    expect(created[0]!.options.transactionTimeout).toBe(50_000);
    await runner.stop();
  });
});

describe('PartitionOwnerRunner, when transactions keep failing', () => {
  /** A handler whose transactions fail with `errors`, in turn, and then succeed; each attempt restores first. */
  async function attempts(errors: Error[], maxConsecutiveFailures: number) {
    const { kafka, join, deliver, resolved } = fakeKafka([]);
    const fatal: unknown[] = [];
    let attempt = 0;
    const runner = runnerOver<string>(
      kafka,
      {
        restore: async () => 'state',
        process: async () => {
          const error = errors[attempt++];
          if (error) throw error;
          return () => undefined;
        },
      },
      { onFatal: (e) => fatal.push(e), maxConsecutiveFailures },
    );
    await runner.start();
    join([0]);
    // As kafkajs does: after a failed batch, the message comes again once the partition is restored.
    for (let round = 0; resolved() < 0 && fatal.length === 0 && round < errors.length + 2; round++) {
      await waitFor(async () => fatal.length > 0 || (await runner.readiness()).ready, {
        timeoutMs: 5000,
        intervalMs: 20,
        description: 'the runner to own its partitions again, or to give up',
      });
      await deliver('0');
    }
    await runner.stop();
    return { fatal, committed: resolved() === 0, attempts: attempt };
  }
  const transient = () => Object.assign(new Error('The coordinator is loading'), { retriable: true });
  const bug = () => new TypeError('cannot read properties of undefined');

  it('waits out Kafka being away or slow, however many transactions that fails, and then commits', async () => {
    const outcome = await attempts(Array.from({ length: 12 }, transient), 3);
    expect(outcome).toEqual({ fatal: [], committed: true, attempts: 13 });
  });

  it('gives up after the configured number of failures that are not transient', async () => {
    const outcome = await attempts([bug(), transient(), bug(), bug(), bug()], 3);
    expect(outcome.fatal).toHaveLength(1);
    expect(outcome.committed).toBe(false);
    expect(outcome.attempts).toBe(4);
  });
});
