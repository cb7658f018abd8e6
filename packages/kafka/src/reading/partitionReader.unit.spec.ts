// What a read does when the reader's consumer crashes under it (Kafka killed): a stand-in for kafkajs's consumer,
// because the order of events that matters here (a crash, then pause() refused while kafkajs restarts the consumer)
// cannot be produced on demand with a real broker. Reads against a real Kafka: services/command, tests/faults.
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { createLogger } from '@eventfold/observability';
import { PartitionReader } from './partitionReader';

/** kafkajs's consumer as the reader uses it; after `crash()` it refuses seek/pause/resume, as kafkajs does. */
function fakeKafka() {
  const events = new EventEmitter();
  let running = true;
  let eachBatch: ((payload: unknown) => Promise<void>) | null = null;
  const refuseUnlessRunning = () => {
    if (!running) throw new Error('Consumer group was not initialized, consumer#run must be called first');
  };
  const consumer = {
    events: { GROUP_JOIN: 'join', CRASH: 'crash', END_BATCH_PROCESS: 'end' },
    on: (event: string, listener: (e: unknown) => void) => events.on(event, listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (o: { eachBatch: (payload: unknown) => Promise<void> }) => {
      eachBatch = o.eachBatch;
    },
    seek: refuseUnlessRunning,
    pause: refuseUnlessRunning,
    resume: refuseUnlessRunning,
    disconnect: async () => undefined,
  };
  const kafka = {
    consumer: () => consumer,
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicMetadata: async () => ({ topics: [{ name: 't', partitions: [{ partitionId: 0 }] }] }),
      fetchTopicOffsets: async () => [{ partition: 0, high: '10', low: '0' }],
    }),
  };
  return {
    kafka: kafka as unknown as Kafka,
    /** kafkajs's order: the consumer is torn down first, then CRASH is emitted (listeners run synchronously). */
    crash(restart: boolean) {
      running = false;
      events.emit('crash', { payload: { error: new Error('Connection error: ECONNREFUSED'), restart } });
    },
    restarted() {
      running = true;
    },
    /** kafkajs handing over a batch of partition 0 (offsets `first`..`last`), then emitting END_BATCH_PROCESS. */
    async batch(first: number, last: number, stale: boolean) {
      const messages = Array.from({ length: last - first + 1 }, (_, i) => ({
        offset: String(first + i),
        value: Buffer.from(`v${first + i}`),
      }));
      await eachBatch!({
        batch: { topic: 't', partition: 0, messages, lastOffset: () => String(last) },
        isStale: () => stale,
      });
      events.emit('end', {
        payload: { topic: 't', partition: 0, batchSize: messages.length, lastOffset: String(last) },
      });
    },
  };
}

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      (error: Error) => `rejected: ${error.message}`,
    ),
    new Promise((resolve) => setTimeout(() => resolve('pending'), 500)),
  ]);

describe('PartitionReader, when its consumer crashes', () => {
  const logger = createLogger('test', 'silent');

  it('fails the reads in progress (they are retried), though kafkajs refuses to pause a crashed consumer', async () => {
    const fake = fakeKafka();
    const reader = await PartitionReader.start(fake.kafka, ['t'], logger);
    const read = reader.read('t', 0, 0n, () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => fake.crash(true)).not.toThrow();
    expect(await settled(read)).toBe('rejected: Connection error: ECONNREFUSED');
    // A read started while kafkajs restarts the consumer fails too, instead of waiting for a seek never made.
    expect(await settled(reader.read('t', 0, 0n, () => undefined))).toMatch(/^rejected: Consumer group/);
    fake.restarted();
    expect(reader.usable).toBe(true);
  });

  it('says it is no longer usable once kafkajs gives up restarting the consumer', async () => {
    const fake = fakeKafka();
    const reader = await PartitionReader.start(fake.kafka, ['t'], logger);
    fake.crash(false);
    expect(reader.usable).toBe(false);
    expect(await settled(reader.read('t', 0, 0n, () => undefined))).toBe(
      'rejected: The partition reader stopped after a crash',
    );
  });
});

describe('PartitionReader, when kafkajs hands over a batch fetched before the read began', () => {
  it("reads on from its own offset instead of ending at the stale batch's last offset", async () => {
    const fake = fakeKafka();
    const reader = await PartitionReader.start(fake.kafka, ['t'], createLogger('test', 'silent'));
    const values: string[] = [];
    const read = reader.read('t', 0, 0n, (m) => values.push(m.value!.toString()));
    await new Promise((resolve) => setImmediate(resolve));
    // Fetched from where the partition's previous read left it, before this read's seek to 0: it ends at the
    // partition's end, but offsets 0-4 were never handed to this read.
    await fake.batch(5, 9, true);
    expect(await settled(read)).toBe('pending');
    await fake.batch(0, 9, false);
    expect(await settled(read)).toBe('resolved');
    expect(values).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
  });
});
