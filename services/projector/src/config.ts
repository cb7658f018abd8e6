import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { EnvReader } from '@eventfold/core';
import { readKafkaServiceSettings, type KafkaServiceSettings } from '@eventfold/kafka';
import { projectorKafkaNames } from './kafkaNames';
import { readKeySettings, type KeySettings } from '@eventfold/crypto';

/** Everything the projector reads from its environment (main.ts is the only caller). */
export interface ProjectorConfig extends ServiceSettings, KafkaServiceSettings {
  readonly mongoShards: readonly string[];
  readonly readDatabase: string;
  /**
   * The version (and, below, group and shards) to feed while no rebuild has written a read model control document;
   * after one, the document decides (`eventfold rebuild`).
   */
  readonly readModelVersion: number;
  readonly groupId: string;
  readonly partitions: number;
  /** Attempts at an event that cannot be decoded or applied before it goes to the dead-letter topic. */
  readonly maxAttempts: number;
  readonly maxMessagesPerCommit: number;
  /** How often the projector reads the read model control document (rebuilds, switches). */
  readonly controlPollMs: number;
  /** The master key and the key store: events are decrypted after decoding. */
  readonly keys: KeySettings;
}

export function readProjectorConfig(environment: NodeJS.ProcessEnv, instanceId: string): ProjectorConfig {
  const env = new EnvReader(environment);
  const kafka = readKafkaServiceSettings(env, instanceId);
  const config: Omit<ProjectorConfig, 'keys'> = {
    ...readServiceSettings(env, 8092),
    ...kafka,
    mongoShards: env.list('MONGO_SHARDS', ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27018/']),
    readDatabase: env.string('READ_DB', 'eventfold_read'),
    readModelVersion: env.int('READ_MODEL_VERSION', 1, { min: 1, max: 10_000 }),
    groupId: env.string('PROJECTOR_GROUP_ID', projectorKafkaNames(kafka.topicPrefix).group),
    partitions: env.int('PARTITIONS', 12, { min: 1, max: 10_000 }),
    maxAttempts: env.int('PROJECTOR_MAX_ATTEMPTS', 3, { min: 1, max: 100 }),
    maxMessagesPerCommit: env.int('PROJECTOR_COMMIT_EVERY', 500, { min: 1, max: 100_000 }),
    controlPollMs: env.int('READ_MODEL_CONTROL_POLL_MS', 1000, { min: 50, max: 60_000 }),
  };
  env.check('projector');
  return { ...config, keys: readKeySettings(environment, config.mongoShards[0]!) };
}
