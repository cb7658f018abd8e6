import { userTopicNames, type UserTopicNames } from '@eventfold/avro';
import { EnvReader, ValidationError } from '@eventfold/core';
import { readKafkaSettings, type KafkaSettings } from '@eventfold/kafka';
import { CliError } from '../commands/output';

/** Where the CLI finds the system: flags first, then the same environment variables the services read. */
export interface ClusterOptions {
  /** The brokers (`--brokers` first) and TLS and SASL, from the variables the services read. */
  readonly kafka: KafkaSettings;
  readonly topics: UserTopicNames;
  readonly topicPrefix: string;
  readonly registryUrl: string;
  readonly mongoShards: readonly string[];
  readonly readDatabase: string;
  readonly partitions: number;
}

export interface ClusterFlags {
  readonly brokers?: string;
  readonly prefix?: string;
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function clusterOptions(env: NodeJS.ProcessEnv, flags: ClusterFlags = {}): ClusterOptions {
  const topicPrefix = flags.prefix ?? env.TOPIC_PREFIX ?? '';
  const partitions = Number(env.PARTITIONS ?? '12');
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new CliError(`PARTITIONS must be a positive integer, not '${env.PARTITIONS}'`);
  const reader = new EnvReader(env);
  const kafka = readKafkaSettings(reader);
  try {
    reader.check('eventfold');
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.message);
    throw error;
  }
  return {
    kafka: flags.brokers ? { ...kafka, brokers: list(flags.brokers) } : kafka,
    topicPrefix,
    topics: userTopicNames(topicPrefix),
    registryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    mongoShards: list(env.MONGO_SHARDS ?? 'mongodb://127.0.0.1:27017/,mongodb://127.0.0.1:27018/'),
    readDatabase: env.READ_DB ?? 'eventfold_read',
    partitions,
  };
}
