import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * The floor of exactly-once on this client, at a given concurrency: a raw kafkajs consume-transform-produce loop
 * shaped as the command service's partition owners are, driven as the command service is driven. `concurrency`
 * clients each append one record to a 12-partition input topic (an idempotent producer, acks=all) and wait until
 * the loop has committed it, then send the next. The loop is a consumer group (read_committed) with a transactional
 * producer per partition (its id bound to the partition); each batch it fetches becomes one transaction holding one
 * output record per input record and the input offsets, written the plain way (send, sendOffsets, commit). The
 * transform is a copy: what is left is the cost of Kafka transactions on kafkajs. Answers round trips/s.
 */
export async function rawTransactionalLoopRate(options: {
  kafka: Kafka;
  input: string;
  output: string;
  groupId: string;
  partitions: number;
  records: readonly { key: string; value: Buffer }[];
  concurrency: number;
  seconds: number;
}): Promise<{ perSecond: number; completed: number; transactions: number }> {
  const admin = options.kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [options.input, options.output].map((topic) => ({
      topic,
      numPartitions: options.partitions,
      replicationFactor: 1,
    })),
    waitForLeaders: true,
  });
  await admin.disconnect();

  const producers = new Map<number, Promise<Producer>>();
  const producerOf = (partition: number) => {
    let producer = producers.get(partition);
    if (!producer) {
      producer = (async () => {
        const p = options.kafka.producer({
          transactionalId: `${options.groupId}-${partition}`,
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: Partitioners.DefaultPartitioner,
          // The partition owners' setting: CONCURRENT_TRANSACTIONS (the previous commit's markers still being
          // written) retried after 5 ms rather than kafkajs's 300. A setting, not eventfold's code: the floor has it.
          retry: { initialRetryTime: 5, retries: Number.MAX_SAFE_INTEGER },
        });
        await p.connect();
        return p;
      })();
      producers.set(partition, producer);
    }
    return producer;
  };
  const committed = new Map<string, () => void>();
  let transactions = 0;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    readUncommitted: false,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: options.input, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch }) => {
      const producer = await producerOf(batch.partition);
      const tx = await producer.transaction();
      try {
        await tx.send({
          topic: options.output,
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
        });
        await tx.sendOffsets({
          consumerGroupId: options.groupId,
          topics: [
            {
              topic: options.input,
              partitions: [
                { partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() },
              ],
            },
          ],
        });
        await tx.commit();
      } catch (error) {
        await tx.abort().catch(() => undefined);
        throw error;
      }
      transactions++;
      for (const message of batch.messages) committed.get(message.headers?.id?.toString() ?? '')?.();
    },
  });

  const sender = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await sender.connect();
  let next = 0;
  let completed = 0;
  const roundTrip = async () => {
    const id = String(next++);
    const record = options.records[next % options.records.length]!;
    const done = new Promise<void>((resolve) => committed.set(id, resolve));
    await sender.send({ topic: options.input, acks: -1, messages: [{ ...record, headers: { id } }] });
    await done;
    committed.delete(id);
  };
  const clients = async (until: number, count: boolean) =>
    Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < until) {
          await roundTrip();
          if (count) completed++;
        }
      }),
    );
  try {
    await clients(performance.now() + 2000, false); // warm-up: producers, the group, the first transactions
    const counted = transactions;
    const started = performance.now();
    await clients(started + options.seconds * 1000, true);
    const elapsed = (performance.now() - started) / 1000;
    return { perSecond: completed / elapsed, completed, transactions: transactions - counted };
  } finally {
    await Promise.allSettled([sender.disconnect(), consumer.disconnect()]);
    await Promise.allSettled([...producers.values()].map(async (p) => (await p).disconnect()));
  }
}
