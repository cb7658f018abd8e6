import { createLogger } from '@eventfold/observability';
import { eventLogContract, randomName, testEndpoints, waitFor } from '@eventfold/testing';
import { createKafka } from '../client/createKafka';
import { KafkaEventLog } from './kafkaEventLog';

// The same contract suite as the embedded SQLite log (packages/embedded), on the real Kafka.
eventLogContract('Kafka', async () => {
  const logger = createLogger('contract', process.env.TEST_LOG_LEVEL ?? 'silent');
  const log = new KafkaEventLog({
    kafka: createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: randomName('contract'), logger }),
    logger,
    readerGroupPrefix: randomName('contract-reader'),
  });
  return { log, close: () => log.close() };
});

describe('KafkaEventLog.partitionEnds on a partition with a transaction', () => {
  it('answers the end of what is committed by default, and of everything written with `written`', async () => {
    const logger = createLogger('ends', process.env.TEST_LOG_LEVEL ?? 'silent');
    const kafka = createKafka({
      brokers: testEndpoints().kafkaBrokers,
      clientId: randomName('ends'),
      logger,
    });
    const log = new KafkaEventLog({ kafka, logger, readerGroupPrefix: randomName('ends-reader') });
    const topic = randomName('ends');
    const producer = kafka.producer({
      transactionalId: randomName('ends-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    try {
      await log.ensureTopics([{ topic, partitions: 1, config: {} }]);
      await producer.connect();
      const tx = await producer.transaction();
      await tx.send({ topic, acks: -1, messages: [{ key: 'k', value: 'written, not yet committed' }] });
      // The record is written and replicated (the send was answered), its transaction still open: a write's answer
      // can come before the commit markers land, and a position it names must already count as in the log.
      expect(await log.partitionEnds(topic)).toEqual([0n]);
      expect(await log.partitionEnds(topic, { written: true })).toEqual([1n]);
      await tx.commit();
      // Committed: the record and its commit marker (offset 1) are both below either end.
      await waitFor(async () => (await log.partitionEnds(topic))[0] === 2n);
      expect(await log.partitionEnds(topic, { written: true })).toEqual([2n]);
    } finally {
      await producer.disconnect();
      await log.close();
    }
  });
});
