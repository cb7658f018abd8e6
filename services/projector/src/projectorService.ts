import express from 'express';
import { confluentSchemaRegistry, loadSchemaCatalog, userEventCodec, userTopicNames } from '@eventfold/avro';
import { connectWithRetry } from '@eventfold/core';
import { healthRoutes, listen, notFoundRoute, problemMiddleware } from '@eventfold/http';
import { createKafka, ensureTopics, userTopology } from '@eventfold/kafka';
import {
  CheckpointStore,
  ReadModelControl,
  readModelCollections,
  ShardSet,
  UserReadModelWriter,
  type ReadModelLayout,
} from '@eventfold/mongo';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { ProjectorConfig } from './config';
import { DeadLetters } from './projection/deadLetters';
import { EventProjector } from './projection/eventProjector';
import { ProjectionSupervisor, type RunningProjection } from './projection/projectionSupervisor';
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
  let controlShard: ShardSet | null = null;
  let supervisor: ProjectionSupervisor | null = null;
  let startupProblem = 'connecting to Kafka, the schema registry and the shards';
  let stopped = false;

  const app = express();
  app.disable('x-powered-by');
  app.use(
    healthRoutes(async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!controlShard || !supervisor) return { ready: false, checks: { startup: startupProblem } };
      const [controlUp] = await controlShard.ping();
      const checks: Record<string, string> = {
        consumer: supervisor.ready ? 'joined' : 'joining',
        versions: supervisor.versions.join(',') || 'none',
        control: controlUp ? 'up' : 'unreachable',
      };
      return { ready: supervisor.ready && controlUp === true, checks };
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
    const [running, control] = [supervisor, controlShard];
    supervisor = null;
    controlShard = null;
    await running?.stop();
    await control?.close();
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
    const startProjection = async (layout: ReadModelLayout): Promise<RunningProjection> => {
      const shards = await ShardSet.connect(layout.shards, config.readDatabase);
      const names = readModelCollections(layout.version);
      let deadLetters: DeadLetters | null = null;
      let projector: EventProjector | null = null;
      const stop = async () => {
        await projector?.stop();
        await deadLetters?.stop();
        await shards.close();
      };
      try {
        const writer = new UserReadModelWriter(shards, names);
        await writer.ensureIndexes();
        deadLetters = await DeadLetters.start(kafka, topics.eventsDlq, layout.groupId);
        projector = new EventProjector({
          kafka,
          groupId: layout.groupId,
          topic: topics.events,
          codec,
          writer,
          checkpoints: new CheckpointStore(shards.primary, names.checkpoints),
          deadLetters,
          metrics,
          logger: logger.child({ readModelVersion: layout.version }),
          maxAttempts: config.maxAttempts,
          maxMessagesPerCommit: config.maxMessagesPerCommit,
          sessionTimeoutMs: config.sessionTimeoutMs,
          onFatal: deps.onFatal,
        });
        await projector.start();
      } catch (error) {
        await stop();
        throw error;
      }
      const started = projector;
      return {
        get ready() {
          return started.ready;
        },
        stop,
      };
    };
    controlShard = await ShardSet.connect(config.mongoShards.slice(0, 1), config.readDatabase);
    const control = new ReadModelControl(controlShard.primary, {
      version: config.readModelVersion,
      groupId: config.groupId,
      shards: config.mongoShards,
    });
    supervisor = new ProjectionSupervisor(control, startProjection, logger, config.controlPollMs);
    await supervisor.start();
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
