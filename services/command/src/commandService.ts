import {
  checkSchemaIdsOnTail,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  singleRecordCodec,
  userEventCodec,
  userTopicNames,
  type AvroCodec,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import {
  PersonalDataCipher,
  PersonalDataCodec,
  type FieldCipher,
  type ConnectedKeyStore,
} from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { createKafka, KafkaEventLog, userTopology } from '@eventfold/kafka';
import { connectWithRetry, type EventLog, type PartitionOwnership } from '@eventfold/core';
import { listen } from '@eventfold/http';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import { CommandBus } from './bus/commandBus';
import { CommandResults } from './bus/commandResults';
import { commandMetrics } from './commandMetrics';
import type { CommandServiceConfig } from './config';
import { clientIdsFor } from './http/clientIds';
import { commandApp } from './http/commandApp';
import { emailStreamIdsFor } from './emailClaims/emailStreamIds';
import { ReservationSweeper } from './emailClaims/reservationSweeper';
import { userCommandHandler, type RestoreStats } from './processing/userCommandHandler';
import { commandKafkaNames } from './kafkaNames';

/** Where the command service keeps its log, schemas and keys: Kafka, a Confluent registry and MongoDB, or embedded ones. */
export interface CommandAdapters {
  readonly log: EventLog;
  readonly schemaRegistry: SchemaRegistryPort;
  /** Opens the users' data keys; throws a MasterKeyError (not retriable) when the master key is not the store's. */
  readonly openKeyStore: () => Promise<ConnectedKeyStore>;
}

export interface CommandServiceDeps {
  readonly logger: Logger;
  readonly clock: () => number;
  /** The consumer crashed for good, or a restore failed: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
  /** The adapters to use; by default Kafka and the schema registry of the configuration (closed on stop). */
  readonly adapters?: CommandAdapters;
  /**
   * Replaces the personal data cipher: only the benchmark's plaintext variant sets it, from code (no variable
   * turns encryption off), to measure what encryption costs.
   */
  readonly fieldCipher?: FieldCipher;
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
  const names = commandKafkaNames(config.topicPrefix);
  const restores = new Map<number, RestoreStats>();
  let bus: CommandBus | null = null;
  let runner: PartitionOwnership | null = null;
  let results: CommandResults | null = null;
  let keyStore: ConnectedKeyStore | null = null;
  let startupProblem = 'connecting to Kafka and the schema registry';
  let stopped = false;
  const emailStreamOf = emailStreamIdsFor(config.keys.masterKey);
  const sweeper = new ReservationSweeper({
    send: (command, waitMs, headers) => bus!.send(command, waitMs, headers),
    timeoutMs: config.emailReservationTimeoutMs,
    clock: deps.clock,
    logger,
    ownedPartitions: () => runner?.ownedPartitions() ?? [],
  });

  const app = commandApp({
    emailStreamOf,
    bus: () => bus,
    logger,
    metrics: registry,
    commandsTotal: metrics.commandsTotal,
    waitMs: config.commandTimeoutMs,
    bodyLimitBytes: config.bodyLimitBytes,
    clock: deps.clock,
    ids: clientIdsFor(config.keys.masterKey),
    internalToken: config.internalToken,
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

  const adapters = deps.adapters ?? kafkaAdapters(config, logger);
  const { log } = adapters;
  const connect = async () => {
    // First: a wrong master key stops the service here (not retriable), before anything is written.
    keyStore = await adapters.openKeyStore();
    const { keys } = keyStore;
    logger.info({ masterKey: keyStore.fingerprint }, 'key store open');
    await log.ensureTopics(
      userTopology({
        topics,
        partitions: config.partitions,
        replicationFactor: config.replicationFactor,
        minInsyncReplicas: config.minInsyncReplicas,
      }),
    );
    const { schemaRegistry } = adapters;
    const catalog = loadSchemaCatalog();
    // Personal fields are encrypted before encoding and decrypted after decoding, in every topic written here.
    const cipher = deps.fieldCipher ?? new PersonalDataCipher({ catalog, keys });
    const sealed = (codec: AvroCodec) => new PersonalDataCodec(codec, cipher);
    const codecs = {
      commands: sealed(
        await singleRecordCodec(schemaRegistry, catalog, topics.commands, 'UserCommandEnvelope'),
      ),
      events: sealed(await userEventCodec(schemaRegistry, catalog, { topic: topics.events })),
      snapshots: sealed(
        await singleRecordCodec(schemaRegistry, catalog, topics.snapshots, 'UserStreamSnapshot'),
      ),
      results: sealed(
        await singleRecordCodec(schemaRegistry, catalog, topics.commandResults, 'UserCommandResult'),
      ),
    };
    // A registry that forgot the ids these topics were written with stops the service here (not retriable).
    await Promise.all([
      checkSchemaIdsOnTail(log, codecs.commands, topics.commands),
      checkSchemaIdsOnTail(log, codecs.events, topics.events),
      checkSchemaIdsOnTail(log, codecs.snapshots, topics.snapshots),
      checkSchemaIdsOnTail(log, codecs.results, topics.commandResults),
    ]);
    const handler = userCommandHandler({
      topics,
      partitions: config.partitions,
      codecs,
      keys,
      log,
      window: { windowMs: config.idempotencyWindowMs, maxCommands: config.idempotencyMaxCommands },
      emailStreamOf,
      onOwned: (partition, streams) => sweeper.watch(partition, streams),
      clock: deps.clock,
      logger,
      onUndecodable: () => metrics.undecodableTotal.inc(),
      onDecided: (outcome) => metrics.decidedTotal.inc({ outcome }),
      onCommitted: (decided) => results?.committed(decided),
      onRestored: (partition, stats) => {
        restores.set(partition, stats);
        metrics.restoreRecords.inc({ kind: 'snapshot' }, stats.snapshotsRead);
        metrics.restoreRecords.inc({ kind: 'event' }, stats.eventsRead);
        metrics.restoreRecords.inc({ kind: 'duplicate-event' }, stats.duplicatesSkipped);
      },
    });
    results = await CommandResults.start({
      log,
      topic: topics.commandResults,
      codec: codecs.results,
      logger,
      groupPrefix: names.resultsGroupPrefix,
    });
    runner = await log.runPartitionOwners({
      groupId: names.processorGroup,
      inputTopic: topics.commands,
      handler,
      sessionTimeoutMs: config.sessionTimeoutMs,
      onFatal: deps.onFatal,
      observer: {
        restored: (_p, ms) => metrics.restoreSeconds.observe(ms / 1000),
        committed: (_p, ms) => metrics.transactionSeconds.observe(ms / 1000),
        failed: () => metrics.transactionFailures.inc(),
        owned: (partitions) => metrics.partitionsOwned.set(partitions.length),
      },
    });
    bus = new CommandBus({
      log,
      topic: topics.commands,
      codec: codecs.commands,
      results,
      storeTimeoutMs: config.storeTimeoutMs,
    });
    sweeper.start();
  };

  // Typed through a holder: TypeScript narrows `let` variables assigned only inside closures to null.
  const stopParts = async () => {
    const parts = [bus, runner, results] as ({ stop(): Promise<void> } | null)[];
    const store = keyStore;
    sweeper.stop();
    bus = null;
    runner = null;
    results = null;
    keyStore = null;
    await Promise.allSettled(parts.map(async (p) => p?.stop()));
    await store?.close().catch(() => undefined);
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
      if (!deps.adapters) await log.close();
    },
  };
}

/** The production adapters: Kafka (through kafkajs) and the Confluent-compatible schema registry. */
function kafkaAdapters(config: CommandServiceConfig, logger: Logger): CommandAdapters {
  return {
    log: new KafkaEventLog({
      kafka: createKafka({ ...config.kafka, clientId: `command-${config.instanceId}`, logger }),
      logger,
      readerGroupPrefix: commandKafkaNames(config.topicPrefix).restoreGroupPrefix,
      replicationFactor: config.replicationFactor,
      minInsyncReplicas: config.minInsyncReplicas,
    }),
    schemaRegistry: confluentSchemaRegistry(config.schemaRegistryUrl),
    openKeyStore: () => connectKeyStore(config.keys),
  };
}
