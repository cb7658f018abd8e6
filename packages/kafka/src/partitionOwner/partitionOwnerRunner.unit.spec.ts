// The runner's recovery when kafkajs leaves a call unanswered for good (after a connection reset): a stand-in for
// kafkajs's client objects, since a real broker cannot be made to lose one particular answer on demand. The rest of
// the runner's behaviour is tested against a real Kafka (services/command, tests/faults).
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { createLogger } from '@eventfold/observability';
import { PartitionOwnerRunner } from './partitionOwnerRunner';

const never = () => new Promise<never>(() => undefined);

/** The pieces of kafkajs the runner uses; `producers` says how each new producer's connect behaves. */
function fakeKafka(producers: (() => Promise<void>)[]) {
  const consumerEvents = new EventEmitter();
  const created: { connect: () => Promise<void>; disconnected: boolean }[] = [];
  const kafka = {
    consumer: () => ({
      events: { GROUP_JOIN: 'join', CRASH: 'crash' },
      on: (event: string, listener: (e: unknown) => void) => consumerEvents.on(event, listener),
      connect: async () => undefined,
      subscribe: async () => undefined,
      run: async () => undefined,
      seek: () => undefined,
      disconnect: async () => undefined,
    }),
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchOffsets: async () => [{ topic: 'in', partitions: [{ partition: 0, offset: '-1' }] }],
    }),
    producer: () => {
      const connect = producers[created.length] ?? (async () => undefined);
      const producer = {
        connect,
        disconnected: false,
        // A producer whose requests are lost never finishes disconnecting either (kafkajs issue 918).
        disconnect: () => ((producer.disconnected = true), connect === never ? never() : Promise.resolve()),
      };
      created.push(producer);
      return producer;
    },
  };
  const join = (partitions: number[]) =>
    consumerEvents.emit('join', { payload: { memberAssignment: { in: partitions } } });
  return { kafka: kafka as unknown as Kafka, created, join };
}

describe('PartitionOwnerRunner, when Kafka never answers a call', () => {
  it('gives up on an InitProducerId that never settles and restores the partition with a fresh producer', async () => {
    const { kafka, created, join } = fakeKafka([never, async () => undefined]);
    const restored: number[] = [];
    const fatal: unknown[] = [];
    const runner = new PartitionOwnerRunner({
      kafka,
      groupId: 'g',
      inputTopic: 'in',
      transactionalIdPrefix: 'g',
      handler: { restore: async (p) => (restored.push(p), 'state'), process: async () => () => undefined },
      logger: createLogger('test', 'silent'),
      onFatal: (e) => fatal.push(e),
      partitionCounts: async () => 1,
      callTimeoutMs: 50,
    });
    await runner.start();
    join([0]);
    const deadline = Date.now() + 5000;
    while (!(await runner.readiness()).ready && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await runner.readiness()).toEqual({ ready: true, detail: 'owns partitions [0]' });
    expect(created).toHaveLength(2);
    expect(created[0]!.disconnected).toBe(true); // let go, though its disconnect never finishes either
    expect(restored).toEqual([0]);
    expect(fatal).toEqual([]);
    await runner.stop();
  });
});
