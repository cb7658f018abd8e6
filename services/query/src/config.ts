import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { EnvReader } from '@eventfold/core';
import { readKafkaSettings, type KafkaSettings } from '@eventfold/kafka';

/** Everything the query service reads from its environment (main.ts is the only caller). */
export interface QueryServiceConfig extends ServiceSettings {
  readonly mongoShards: readonly string[];
  /**
   * Kafka, read only for where users.events ends (ListOffsets, no consumer, no producer): a consistency token past
   * the end is refused at once.
   */
  readonly kafka: KafkaSettings;
  readonly topicPrefix: string;
  readonly readDatabase: string;
  /** The version served while no rebuild has written a read model control document; after one, it decides. */
  readonly readModelVersion: number;
  /** How often the query service reads the control document to follow a rebuild's switch. */
  readonly controlPollMs: number;
  /** How long a read with a consistency token waits for the projector before 503. */
  readonly consistencyWaitMs: number;
  /**
   * Bound on every read-model operation: a stuck shard answers 503, it does not hold the request, and the server
   * stops a query at the same time (maxTimeMS).
   */
  readonly queryTimeoutMs: number;
  /** The follow feed: a heartbeat comment this often (15 s), and how often the checkpoints are polled to wake it. */
  readonly feedHeartbeatMs: number;
  readonly feedPollMs: number;
  /** Bytes a follower may leave unread before its stream is cut (it resumes with Last-Event-ID). */
  readonly feedMaxBufferedBytes: number;
  /** How long a follower past that bound may take to read before its stream is cut. */
  readonly feedStallMs: number;
  /** `INTERNAL_TOKEN`: when set, every request but the probes must carry it (only the gateway knows it). */
  readonly internalToken: string | null;
}

export function readQueryServiceConfig(environment: NodeJS.ProcessEnv): QueryServiceConfig {
  const env = new EnvReader(environment);
  const config: QueryServiceConfig = {
    ...readServiceSettings(env, 8091),
    mongoShards: env.list('MONGO_SHARDS', ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27018/']),
    kafka: readKafkaSettings(env),
    topicPrefix: env.string('TOPIC_PREFIX', ''),
    readDatabase: env.string('READ_DB', 'eventfold_read'),
    readModelVersion: env.int('READ_MODEL_VERSION', 1, { min: 1, max: 10_000 }),
    controlPollMs: env.int('READ_MODEL_CONTROL_POLL_MS', 1000, { min: 50, max: 60_000 }),
    consistencyWaitMs: env.int('CONSISTENCY_WAIT_MS', 2000, { min: 0, max: 60_000 }),
    queryTimeoutMs: env.int('QUERY_TIMEOUT_MS', 2000, { min: 100, max: 60_000 }),
    feedHeartbeatMs: env.int('FEED_HEARTBEAT_MS', 15_000, { min: 100, max: 300_000 }),
    feedPollMs: env.int('FEED_POLL_MS', 50, { min: 5, max: 10_000 }),
    feedMaxBufferedBytes: env.int('FEED_MAX_BUFFERED_BYTES', 1024 * 1024, {
      min: 1024,
      max: 256 * 1024 * 1024,
    }),
    feedStallMs: env.int('FEED_STALL_MS', 10_000, { min: 10, max: 300_000 }),
    internalToken: env.optional('INTERNAL_TOKEN') ?? null,
  };
  env.check('query service');
  return config;
}
