import {
  confluentSchemaRegistry,
  loadSchemaCatalog,
  singleRecordCodec,
  userEventCodec,
  userTopicNames,
} from '@eventfold/avro';
import {
  createKafka,
  ensureTopics,
  PartitionOwnerRunner,
  PartitionReader,
  userTopology,
} from '@eventfold/kafka';
import { connectWithRetry } from '@eventfold/core';
import { listen } from '@eventfold/http';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import { CommandBus } from './bus/commandBus';
import { CommandResults } from './bus/commandResults';
import { commandMetrics } from './commandMetrics';
import type { CommandServiceConfig } from './config';
import { commandApp } from './http/commandApp';
import {
  userCommandHandler,
  type PartitionStreams,
  type RestoreStats,
} from './processing/userCommandHandler';

export interface CommandServiceDeps {
  readonly logger: Logger;
  readonly clock: () => number;
  /** The consumer crashed for good, or a restore failed: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
}

export interface RunningCommandService {
  readonly url: string;
  /** Resolves once connected (Kafka, registry, topics); rejects only if stopped first. */
  readonly started: Promise<void>;
  readonly restores: ReadonlyMap<number, RestoreStats>;
  ownedPartitions(): number[];
  stop(): Promise<void>;
}

/**
 * Assembles the command service: the HTTP server first (so /healthz and /readyz answer at once), then, retrying
 * until they answer, Kafka topics, schema registration, the partition owners and the command bus.
 */
export async function startCommandService(
  config: CommandServiceConfig,
  deps: CommandServiceDeps,
): Promise<RunningCommandService> {
  const { logger } = deps;
  const registry = createMetricsRegistry('command');
  const metrics = commandMetrics(registry);
  const topics = userTopicNames(config.topicPrefix);
  const groupId = `${config.topicPrefix}command-processor.users`;
  const restores = new Map<number, RestoreStats>();
  let bus: CommandBus | null = null;
  let runner: PartitionOwnerRunner<PartitionStreams> | null = null;
  let results: CommandResults | null = null;
  let reader: PartitionReader | null = null;
  let startupProblem = 'connecting to Kafka and the schema registry';
  let stopped = false;

  const app = commandApp({
    bus: () => bus,
    logger,
    metrics: registry,
    commandsTotal: metrics.commandsTotal,
    waitMs: config.commandTimeoutMs,
    bodyLimitBytes: config.bodyLimitBytes,
    clock: deps.clock,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!runner || !bus || !results) return { ready: false, checks: { startup: startupProblem } };
      const owners = await runner.readiness();
      const ready = owners.ready && results.ready;
      return {
        ready,
        checks: { partitions: owners.detail, results: results.ready ? 'listening' : 'joining' },
      };
    },
  });
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    clientId: `command-${config.instanceId}`,
    logger,
  });
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
    const schemaRegistry = confluentSchemaRegistry(config.schemaRegistryUrl);
    const catalog = loadSchemaCatalog();
    const codecs = {
      commands: await singleRecordCodec(schemaRegistry, catalog, topics.commands, 'UserCommandEnvelope'),
      events: await userEventCodec(schemaRegistry, catalog, { topic: topics.events }),
      snapshots: await singleRecordCodec(schemaRegistry, catalog, topics.snapshots, 'UserStreamSnapshot'),
      results: await singleRecordCodec(schemaRegistry, catalog, topics.commandResults, 'UserCommandResult'),
    };
    reader = await PartitionReader.start(
      kafka,
      [topics.snapshots, topics.events],
      logger,
      `${config.topicPrefix}command-restore`,
    );
    const handler = userCommandHandler({
      topics,
      partitions: config.partitions,
      codecs,
      reader,
      window: { windowMs: config.idempotencyWindowMs, maxCommands: config.idempotencyMaxCommands },
      clock: deps.clock,
      logger,
      onUndecodable: () => metrics.undecodableTotal.inc(),
      onDecided: (outcome) => metrics.decidedTotal.inc({ outcome }),
      onRestored: (partition, stats) => {
        restores.set(partition, stats);
        metrics.restoreRecords.inc({ kind: 'snapshot' }, stats.snapshotsRead);
        metrics.restoreRecords.inc({ kind: 'event' }, stats.eventsRead);
      },
    });
    results = await CommandResults.start({
      kafka,
      topic: topics.commandResults,
      codec: codecs.results,
      logger,
      groupPrefix: `${config.topicPrefix}command-results`,
    });
    runner = new PartitionOwnerRunner({
      kafka,
      groupId,
      inputTopic: topics.commands,
      transactionalIdPrefix: groupId,
      handler,
      logger,
      sessionTimeoutMs: config.sessionTimeoutMs,
      onFatal: deps.onFatal,
      observer: {
        restored: (_p, ms) => metrics.restoreSeconds.observe(ms / 1000),
        committed: (_p, ms) => metrics.transactionSeconds.observe(ms / 1000),
        failed: () => metrics.transactionFailures.inc(),
        owned: (partitions) => metrics.partitionsOwned.set(partitions.length),
      },
    });
    await runner.start();
    bus = await CommandBus.start({
      kafka,
      topic: topics.commands,
      codec: codecs.commands,
      results,
      storeTimeoutMs: config.storeTimeoutMs,
    });
  };

  // Typed through a holder: TypeScript narrows `let` variables assigned only inside closures to null.
  const stopParts = async () => {
    const parts = [bus, runner, results, reader] as ({ stop(): Promise<void> } | null)[];
    bus = null;
    runner = null;
    results = null;
    reader = null;
    await Promise.allSettled(parts.map((p) => p?.stop()));
  };

  const started = connectWithRetry({
    connect: async () => {
      await connect();
      logger.info({ port, partitions: config.partitions }, 'command service started');
    },
    cleanUp: stopParts,
    onAttemptFailed: (error, attempt) => {
      startupProblem = `attempt ${attempt} failed: ${(error as Error).message}`;
      logger.warn({ err: error, attempt }, 'command service could not start yet; retrying');
    },
    onFatal: deps.onFatal,
    isStopped: () => stopped,
  });

  return {
    url: server.url,
    started,
    restores,
    ownedPartitions: () => runner?.ownedPartitions() ?? [],
    async stop() {
      stopped = true;
      await server.close();
      await stopParts();
    },
  };
}
