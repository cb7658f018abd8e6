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
  const refuseUnlessRunning = () => {
    if (!running) throw new Error('Consumer group was not initialized, consumer#run must be called first');
  };
  const consumer = {
    events: { GROUP_JOIN: 'join', CRASH: 'crash', END_BATCH_PROCESS: 'end' },
    on: (event: string, listener: (e: unknown) => void) => events.on(event, listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async () => undefined,
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
