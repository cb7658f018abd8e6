import { userTopicNames, type UserTopicNames } from '@eventfold/avro';
import { CliError } from '../commands/output';

/** Where the CLI finds the system: flags first, then the same environment variables the services read. */
export interface ClusterOptions {
  readonly brokers: readonly string[];
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
  return {
    brokers: list(flags.brokers ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    topicPrefix,
    topics: userTopicNames(topicPrefix),
    registryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    mongoShards: list(env.MONGO_SHARDS ?? 'mongodb://127.0.0.1:27017/,mongodb://127.0.0.1:27018/'),
    readDatabase: env.READ_DB ?? 'eventfold_read',
    partitions,
  };
}
