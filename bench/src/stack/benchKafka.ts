import type { Kafka } from 'kafkajs';
import { EnvReader } from '@eventfold/core';
import { createKafka, readKafkaSettings } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints } from '@eventfold/testing';

/**
 * A kafkajs client of the benchmarks on the run's brokers, with the TLS and SASL settings of the environment
 * (`KAFKA_SECURITY_PROTOCOL`…), which the services it spawns inherit too: one principal for the whole run, which
 * must be allowed to create and delete the run's topics and groups.
 */
export function benchKafka(clientId: string): Kafka {
  const env = new EnvReader(process.env);
  const settings = readKafkaSettings(env);
  env.check('bench');
  return createKafka({
    ...settings,
    brokers: testEndpoints().kafkaBrokers,
    clientId,
    logger: createLogger('bench', 'silent'),
  });
}
