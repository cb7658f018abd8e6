import { Partitioners } from 'kafkajs';
import { waitFor } from '@eventfold/testing';
import { benchKafka } from '../stack/benchKafka';

/**
 * The raw side of the visibility benchmark: a kafkajs produce→consume probe at a given rate. Each probe's latency
 * runs from the start of its send (idempotent, acks=all) until a read_committed consumer (the projector's fetch
 * wait) receives it.
 */
export async function rawProbeLatencies(options: {
  topic: string;
  groupId: string;
  perSecond: number;
  seconds: number;
}): Promise<number[]> {
  const kafka = benchKafka('bench-probe');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: options.topic, numPartitions: 12, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 20, readUncommitted: false });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let warm = false;
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.value?.toString() ?? '';
        if (id === 'warm-up') warm = true;
        const started = sentAt.get(id);
        if (started !== undefined) latencies.push(performance.now() - started);
      },
    });
    await producer.send({ topic: options.topic, acks: -1, messages: [{ key: 'w', value: 'warm-up' }] });
    await waitFor(() => warm, { timeoutMs: 60_000, description: 'the probe consumer to join' });
    const interval = 1000 / options.perSecond;
    const count = Math.round(options.perSecond * options.seconds);
    const started = performance.now();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const id = `probe-${i}`;
      sentAt.set(id, performance.now());
      sends.push(producer.send({ topic: options.topic, acks: -1, messages: [{ key: id, value: id }] }));
    }
    await Promise.all(sends);
    await waitFor(() => latencies.length >= count, {
      timeoutMs: 30_000,
      description: 'every probe to be consumed',
    });
    return latencies;
  } finally {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
  }
}
