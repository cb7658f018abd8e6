import { readLogLevel, type LogLevel } from '@eventfold/observability';
import { EnvReader } from '@eventfold/core';
import { readKeySettings, type KeySettings } from '@eventfold/crypto';
import { readKafkaSettings, type KafkaSettings } from '@eventfold/kafka';
import { integrationKafkaNames } from './kafkaNames';

/** Everything the integration translator reads from its environment (main.ts is the only caller). */
export interface IntegrationConfig {
  readonly host: string;
  readonly port: number;
  readonly kafka: KafkaSettings;
  readonly schemaRegistryUrl: string;
  readonly topicPrefix: string;
  /** The translator's consumer group over users.events; its transactional ids are `<group>-<partition>`. */
  readonly groupId: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly sessionTimeoutMs: number;
  /** The longest an erased user's earlier public facts stay readable (decision 0017). */
  readonly maxCompactionLagMs: number;
  readonly logLevel: LogLevel;
  readonly instanceId: string;
  /** The master key and the key store: users.events is decrypted after decoding. */
  readonly keys: KeySettings;
}

export function readIntegrationConfig(environment: NodeJS.ProcessEnv, instanceId: string): IntegrationConfig {
  const env = new EnvReader(environment);
  const topicPrefix = env.string('TOPIC_PREFIX', '');
  const mongoShards = env.list('MONGO_SHARDS', ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27018/']);
  const config: Omit<IntegrationConfig, 'keys'> = {
    host: env.string('HOST', '127.0.0.1'),
    port: env.int('PORT', 8094, { min: 0, max: 65535 }),
    kafka: readKafkaSettings(env),
    schemaRegistryUrl: env.string('SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7'),
    topicPrefix,
    groupId: env.string('INTEGRATION_GROUP_ID', integrationKafkaNames(topicPrefix).group),
    partitions: env.int('PARTITIONS', 12, { min: 1, max: 10_000 }),
    replicationFactor: env.int('REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
    minInsyncReplicas: env.int('MIN_INSYNC_REPLICAS', 1, { min: 1, max: 10 }),
    sessionTimeoutMs: env.int('CONSUMER_SESSION_TIMEOUT_MS', 10_000, { min: 6000, max: 300_000 }),
    maxCompactionLagMs: env.int('INTEGRATION_MAX_COMPACTION_LAG_MS', 60 * 60 * 1000, {
      min: 1000,
      max: 30 * 24 * 60 * 60 * 1000,
    }),
    logLevel: readLogLevel(env),
    instanceId: env.string('INSTANCE_ID', instanceId),
  };
  env.check('integration translator');
  return { ...config, keys: readKeySettings(environment, mongoShards[0]!) };
}
