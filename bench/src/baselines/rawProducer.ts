import { Partitioners, type Kafka } from 'kafkajs';

/**
 * The raw side of the command benchmark: a kafkajs idempotent producer (acks=all, the command bus's settings)
 * writing the same records the same way (one record per send, `concurrency` sends in flight, as `concurrency`
 * HTTP clients cause), for `seconds`. Answers records/s.
 */
export async function rawProducerRate(options: {
  kafka: Kafka;
  topic: string;
  records: readonly { key: string; value: Buffer }[];
  concurrency: number;
  seconds: number;
}): Promise<{ perSecond: number; sent: number }> {
  const producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 3, maxRetryTime: 2000 },
  });
  await producer.connect();
  try {
    let next = 0;
    let sent = 0;
    const started = performance.now();
    const end = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const record = options.records[next++ % options.records.length]!;
          await producer.send({ topic: options.topic, acks: -1, messages: [record] });
          sent++;
        }
      }),
    );
    return { perSecond: sent / ((performance.now() - started) / 1000), sent };
  } finally {
    await producer.disconnect();
  }
}
