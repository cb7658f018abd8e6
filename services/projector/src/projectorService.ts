import express from 'express';
import { confluentSchemaRegistry, loadSchemaCatalog, userEventCodec, userTopicNames } from '@eventfold/avro';
import { connectWithRetry } from '@eventfold/core';
import { healthRoutes, listen, notFoundRoute, problemMiddleware } from '@eventfold/http';
import { createKafka, ensureTopics, userTopology } from '@eventfold/kafka';
import { CheckpointStore, readModelCollections, ShardSet, UserReadModelWriter } from '@eventfold/mongo';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { ProjectorConfig } from './config';
import { DeadLetters } from './projection/deadLetters';
import { EventProjector } from './projection/eventProjector';
import { projectorMetrics } from './projectorMetrics';

export interface ProjectorDeps {
  readonly logger: Logger;
  readonly onFatal: (error: unknown) => void;
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
  let shards: ShardSet | null = null;
  let projector: EventProjector | null = null;
  let deadLetters: DeadLetters | null = null;
  let startupProblem = 'connecting to Kafka, the schema registry and the shards';
  let stopped = false;

  const app = express();
  app.disable('x-powered-by');
  app.use(
    healthRoutes(async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!shards || !projector) return { ready: false, checks: { startup: startupProblem } };
      const pings = await shards.ping();
      const checks: Record<string, string> = { consumer: projector.ready ? 'joined' : 'joining' };
      pings.forEach((ok, i) => (checks[`shard${i}`] = ok ? 'up' : 'unreachable'));
      return { ready: projector.ready && pings.every(Boolean), checks };
    }, registry),
  );
  app.use(notFoundRoute);
  app.use(problemMiddleware(logger));
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    clientId: `projector-${config.instanceId}`,
    logger,
  });
  const stopParts = async () => {
    const parts = [projector, deadLetters, shards] as ({
      stop?(): Promise<void>;
      close?(): Promise<void>;
    } | null)[];
    projector = null;
    deadLetters = null;
    shards = null;
    await Promise.allSettled(parts.map((p) => p?.stop?.() ?? p?.close?.()));
  };
  const connect = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(
        admin,
        userTopology({
          topics,
          partitions: config.partitions,
          replicationFactor: config.replicationFactor,
          minInsyncReplicas: config.minInsyncReplicas,
        }),
      );
    } finally {
      await admin.disconnect();
    }
    const codec = await userEventCodec(
      confluentSchemaRegistry(config.schemaRegistryUrl),
      loadSchemaCatalog(),
      { topic: topics.events },
    );
    shards = await ShardSet.connect(config.mongoShards, config.readDatabase);
    const names = readModelCollections(config.readModelVersion);
    const writer = new UserReadModelWriter(shards, names);
    await writer.ensureIndexes();
    deadLetters = await DeadLetters.start(kafka, topics.eventsDlq, config.groupId);
    projector = new EventProjector({
      kafka,
      groupId: config.groupId,
      topic: topics.events,
      codec,
      writer,
      checkpoints: new CheckpointStore(shards.primary, names.checkpoints),
      deadLetters,
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
    },
  };
}
