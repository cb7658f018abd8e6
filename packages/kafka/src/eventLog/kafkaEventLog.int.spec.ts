import { createLogger } from '@eventfold/observability';
import { eventLogContract, randomName, testEndpoints } from '@eventfold/testing';
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
