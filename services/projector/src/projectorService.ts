import express from 'express';
import { confluentSchemaRegistry, loadSchemaCatalog, userEventCodec, userTopicNames } from '@eventfold/avro';
import { connectWithRetry, type EventLog } from '@eventfold/core';
import { healthRoutes, listen, notFoundRoute, problemMiddleware } from '@eventfold/http';
import { createKafka, KafkaEventLog, userTopology } from '@eventfold/kafka';
import { MongoReadStore, readModelCollections, ShardSet } from '@eventfold/mongo';
import type { UserReadStore } from '@eventfold/users-domain';
import type { SchemaRegistryPort } from '@eventfold/avro';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { ProjectorConfig } from './config';
import { DeadLetters } from './projection/deadLetters';
import { EventProjector } from './projection/eventProjector';
import { projectorMetrics } from './projectorMetrics';

/** Where the projector reads events and writes the read model: Kafka and MongoDB, or embedded ones. */
export interface ProjectorAdapters {
  readonly log: EventLog;
  readonly schemaRegistry: SchemaRegistryPort;
  readonly openStore: () => Promise<UserReadStore>;
}

export interface ProjectorDeps {
  readonly logger: Logger;
  readonly onFatal: (error: unknown) => void;
  /** The adapters to use; by default Kafka, the registry and the MongoDB shards of the configuration. */
  readonly adapters?: ProjectorAdapters;
}

export interface RunningProjector {
  readonly url: string;
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the projector: health and metrics first, then (retrying until they answer) Kafka, registry and shards. */
export async function startProjector(
  config: ProjectorConfig,
  deps: ProjectorDeps,
): Promise<RunningProjector> {
  const { logger } = deps;
  const registry = createMetricsRegistry('projector');
  const metrics = projectorMetrics(registry);
  const topics = userTopicNames(config.topicPrefix);
  let store: UserReadStore | null = null;
  let projector: EventProjector | null = null;
  let deadLetters: DeadLetters | null = null;
  let startupProblem = 'connecting to Kafka, the schema registry and the shards';
  let stopped = false;

  const app = express();
  app.disable('x-powered-by');
  app.use(
    healthRoutes(async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!store || !projector) return { ready: false, checks: { startup: startupProblem } };
      const parts = await store.health();
      const checks: Record<string, string> = { consumer: projector.ready ? 'joined' : 'joining' };
      for (const [part, ok] of Object.entries(parts)) checks[part] = ok ? 'up' : 'unreachable';
      return { ready: projector.ready && Object.values(parts).every(Boolean), checks };
    }, registry),
  );
  app.use(notFoundRoute);
  app.use(problemMiddleware(logger));
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const adapters = deps.adapters ?? kafkaMongoAdapters(config, logger);
  const { log } = adapters;
  const stopParts = async () => {
    const parts = [projector, deadLetters] as ({ stop(): Promise<void> } | null)[];
    const opened = store as UserReadStore | null;
    projector = null;
    deadLetters = null;
    store = null;
    await Promise.allSettled(parts.map((p) => p?.stop()));
    await opened?.close();
  };
  const connect = async () => {
    await log.ensureTopics(
      userTopology({
        topics,
        partitions: config.partitions,
        replicationFactor: config.replicationFactor,
        minInsyncReplicas: config.minInsyncReplicas,
      }),
    );
    const codec = await userEventCodec(adapters.schemaRegistry, loadSchemaCatalog(), {
      topic: topics.events,
    });
    const opened = await adapters.openStore();
    store = opened;
    await opened.ensureSchema();
    const letters = new DeadLetters(log, topics.eventsDlq, config.groupId);
    deadLetters = letters;
    projector = new EventProjector({
      log,
      groupId: config.groupId,
      topic: topics.events,
      codec,
      store: opened,
      deadLetters: letters,
      metrics,
      logger,
      maxAttempts: config.maxAttempts,
      maxMessagesPerCommit: config.maxMessagesPerCommit,
      sessionTimeoutMs: config.sessionTimeoutMs,
      onFatal: deps.onFatal,
    });
    await projector.start();
  };

  const started = connectWithRetry({
    connect: async () => {
      await connect();
      logger.info({ port, group: config.groupId, version: config.readModelVersion }, 'projector started');
    },
    cleanUp: stopParts,
    onAttemptFailed: (error, attempt) => {
      startupProblem = `attempt ${attempt} failed: ${(error as Error).message}`;
      logger.warn({ err: error, attempt }, 'projector could not start yet; retrying');
    },
    onFatal: deps.onFatal,
    isStopped: () => stopped,
  });

  return {
    url: server.url,
    started,
    async stop() {
      stopped = true;
      await server.close();
      await stopParts();
      if (!deps.adapters) await log.close();
    },
  };
}

/** The production adapters: Kafka, the Confluent-compatible registry and the MongoDB shards. */
function kafkaMongoAdapters(config: ProjectorConfig, logger: Logger): ProjectorAdapters {
  const names = readModelCollections(config.readModelVersion);
  return {
    log: new KafkaEventLog({
      kafka: createKafka({
        brokers: config.kafkaBrokers,
        clientId: `projector-${config.instanceId}`,
        logger,
      }),
      logger,
      readerGroupPrefix: `${config.topicPrefix}projector-reader`,
      replicationFactor: config.replicationFactor,
      minInsyncReplicas: config.minInsyncReplicas,
    }),
    schemaRegistry: confluentSchemaRegistry(config.schemaRegistryUrl),
    openStore: async () =>
      new MongoReadStore(await ShardSet.connect(config.mongoShards, config.readDatabase), () => names),
  };
}
