import { Partitioners } from 'kafkajs';
import { randomName } from '../names';
import { testKafka } from '../kafka';
import { waitFor } from '../waitFor';

describe('Kafka (real broker)', () => {
  const kafka = testKafka('smoke');
  const admin = kafka.admin();

  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('creates a 12-partition topic', async () => {
    const topic = randomName('smoke-partitions');
    await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(12);
  });

  it('shows a read_committed consumer only what committed transactions and the idempotent producer wrote', async () => {
    const topic = randomName('smoke-tx');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const idempotent = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await idempotent.connect();
    await idempotent.send({ topic, acks: -1, messages: [{ key: 'k', value: 'idempotent' }] });
    await idempotent.disconnect();

    const transactional = kafka.producer({
      transactionalId: randomName('smoke-txid'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await transactional.connect();
    const committed = await transactional.transaction();
    await committed.send({ topic, messages: [{ key: 'k', value: 'committed' }] });
    await committed.commit();
    const aborted = await transactional.transaction();
    await aborted.send({ topic, messages: [{ key: 'k', value: 'aborted' }] });
    await aborted.abort();
    // A committed sentinel after the aborted record, on the same partition (same key): a consumer that has seen it
    // has necessarily passed the aborted record.
    const last = await transactional.transaction();
    await last.send({ topic, messages: [{ key: 'k', value: 'sentinel' }] });
    await last.commit();
    await transactional.disconnect();

    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: randomName('smoke-group'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value?.toString() ?? '');
      },
    });
    await waitFor(() => seen.includes('sentinel'), { description: 'the sentinel record' });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['committed', 'idempotent', 'sentinel']);
  });
});
