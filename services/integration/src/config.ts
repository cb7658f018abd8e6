import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { EnvReader } from '@eventfold/core';
import { readKeySettings, type KeySettings } from '@eventfold/crypto';
import { readKafkaServiceSettings, type KafkaServiceSettings } from '@eventfold/kafka';
import { integrationKafkaNames } from './kafkaNames';

/** Everything the integration translator reads from its environment (main.ts is the only caller). */
export interface IntegrationConfig extends ServiceSettings, KafkaServiceSettings {
  /** The translator's consumer group over users.events; its transactional ids are `<group>-<partition>`. */
  readonly groupId: string;
  readonly partitions: number;
  /** The longest an erased user's earlier public facts stay readable (decision 0017). */
  readonly maxCompactionLagMs: number;
  /** The master key and the key store: users.events is decrypted after decoding. */
  readonly keys: KeySettings;
}

export function readIntegrationConfig(environment: NodeJS.ProcessEnv, instanceId: string): IntegrationConfig {
  const env = new EnvReader(environment);
  const kafka = readKafkaServiceSettings(env, instanceId);
  const mongoShards = env.list('MONGO_SHARDS', ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27018/']);
  const config: Omit<IntegrationConfig, 'keys'> = {
    ...readServiceSettings(env, 8094),
    ...kafka,
    groupId: env.string('INTEGRATION_GROUP_ID', integrationKafkaNames(kafka.topicPrefix).group),
    partitions: env.int('PARTITIONS', 12, { min: 1, max: 10_000 }),
    maxCompactionLagMs: env.int('INTEGRATION_MAX_COMPACTION_LAG_MS', 60 * 60 * 1000, {
      min: 1000,
      max: 30 * 24 * 60 * 60 * 1000,
    }),
  };
  env.check('integration translator');
  return { ...config, keys: readKeySettings(environment, mongoShards[0]!) };
}
