import type { EnvReader } from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import { KafkaEventLog } from '../eventLog/kafkaEventLog';
import { createKafka } from './createKafka';
import { readKafkaSettings, type KafkaSettings } from './kafkaSettings';

/** What the services on the user log (command, projector, notifier, integration) read alike from the environment. */
export interface KafkaServiceSettings {
  /** Brokers, and TLS and SASL when set (`KAFKA_SECURITY_PROTOCOL`…): see `readKafkaSettings`. */
  readonly kafka: KafkaSettings;
  readonly schemaRegistryUrl: string;
  /** Prefixes topics, consumer groups and transactional ids: isolated environments side by side. */
  readonly topicPrefix: string;
  /** How the topics a service creates are replicated. */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly sessionTimeoutMs: number;
  /** Names the process in its Kafka client id (`command-<instance>`). */
  readonly instanceId: string;
}

/** Reads {@link KafkaServiceSettings}; problems go to `env`, whose `check()` throws them with the service's own. */
export function readKafkaServiceSettings(env: EnvReader, instanceId: string): KafkaServiceSettings {
  return {
    kafka: readKafkaSettings(env),
    schemaRegistryUrl: env.string('SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7'),
    topicPrefix: env.string('TOPIC_PREFIX', ''),
    replicationFactor: env.int('REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
    minInsyncReplicas: env.int('MIN_INSYNC_REPLICAS', 1, { min: 1, max: 10 }),
    sessionTimeoutMs: env.int('CONSUMER_SESSION_TIMEOUT_MS', 10_000, { min: 6000, max: 300_000 }),
    instanceId: env.string('INSTANCE_ID', instanceId),
  };
}

/** A service's event log on Kafka: client id `<service>-<instance>`, its own readers' groups under `readerGroupPrefix`. */
export function serviceEventLog(
  settings: KafkaServiceSettings,
  service: string,
  readerGroupPrefix: string,
  logger: Logger,
): KafkaEventLog {
  return new KafkaEventLog({
    kafka: createKafka({ ...settings.kafka, clientId: `${service}-${settings.instanceId}`, logger }),
    logger,
    readerGroupPrefix,
    replicationFactor: settings.replicationFactor,
    minInsyncReplicas: settings.minInsyncReplicas,
  });
}
