import express from 'express';
import {
  checkSchemaIdsOnTail,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  userEventCodec,
  userTopicNames,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import { connectWithRetry, type EventLog } from '@eventfold/core';
import { PersonalDataCipher, PersonalDataCodec, type ConnectedKeyStore } from '@eventfold/crypto';
import { healthRoutes, listen, notFoundRoute, problemMiddleware } from '@eventfold/http';
import { createKafka, KafkaEventLog, userTopology } from '@eventfold/kafka';
import {
  connectKeyStore,
  MongoReadStore,
  readModelCollections,
  ReadModelControl,
  type ReadModelControlState,
  type ReadModelLayout,
  ShardSet,
} from '@eventfold/mongo';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { UserReadStore } from '@eventfold/users-domain';
import type { ProjectorConfig } from './config';
import { DeadLetters } from './projection/deadLetters';
import { EventProjector } from './projection/eventProjector';
import { ProjectionSupervisor, type RunningProjection } from './projection/projectionSupervisor';
import { projectorMetrics } from './projectorMetrics';
import { projectorKafkaNames } from './kafkaNames';

/** Where the read model control document is: which versions to feed (blue/green rebuilds). */
export interface OpenedControl {
  readonly control: { read(): Promise<ReadModelControlState> };
  /** Whether the control document's store answers. */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** Where the projector reads events and writes the read model: Kafka and MongoDB, or embedded ones. */
export interface ProjectorAdapters {
  readonly log: EventLog;
  readonly schemaRegistry: SchemaRegistryPort;
  readonly openControl: () => Promise<OpenedControl>;
  /** The read store of one read model version. */
  readonly openStore: (layout: ReadModelLayout) => Promise<UserReadStore>;
  /** Opens the users' data keys; throws a MasterKeyError (not retriable) when the master key is not the store's. */
  readonly openKeyStore: () => Promise<ConnectedKeyStore>;
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

/** Assembles the projector: health and metrics first, then (retrying until they answer) the log and the stores. */
export async function startProjector(
  config: ProjectorConfig,
  deps: ProjectorDeps,
): Promise<RunningProjector> {
  const { logger } = deps;
  const registry = createMetricsRegistry('projector');
  const metrics = projectorMetrics(registry);
  const topics = userTopicNames(config.topicPrefix);
  let opened: OpenedControl | null = null;
  let supervisor: ProjectionSupervisor | null = null;
  let startupProblem = 'connecting to Kafka, the schema registry and the shards';
  let stopped = false;

  const app = express();
  app.disable('x-powered-by');
  app.use(
    healthRoutes(async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!opened || !supervisor) return { ready: false, checks: { startup: startupProblem } };
      const controlUp = await opened.reachable();
      const checks: Record<string, string> = {
        consumer: supervisor.ready ? 'joined' : 'joining',
        versions: supervisor.versions.join(',') || 'none',
        control: controlUp ? 'up' : 'unreachable',
      };
      return { ready: supervisor.ready && controlUp, checks };
    }, registry),
  );
  app.use(notFoundRoute);
  app.use(problemMiddleware(logger));
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const adapters = deps.adapters ?? kafkaMongoAdapters(config, logger);
  const { log } = adapters;
  let keyStore: ConnectedKeyStore | null = null;
  const stopParts = async () => {
    const [running, control, keys] = [supervisor, opened, keyStore];
    supervisor = null;
    opened = null;
    keyStore = null;
    await running?.stop();
    await control?.close();
    await keys?.close().catch(() => undefined);
  };
  const connect = async () => {
    // First: a wrong master key stops the projector here (not retriable).
    const keys = await adapters.openKeyStore();
    keyStore = keys;
    logger.info({ masterKey: keys.fingerprint }, 'key store open');
    await log.ensureTopics(
      userTopology({
        topics,
        partitions: config.partitions,
        replicationFactor: config.replicationFactor,
        minInsyncReplicas: config.minInsyncReplicas,
      }),
    );
    const catalog = loadSchemaCatalog();
    // Events are decrypted after decoding; a forgotten user's decode with their personal fields erased.
    const codec = new PersonalDataCodec(
      await userEventCodec(adapters.schemaRegistry, catalog, { topic: topics.events }),
      new PersonalDataCipher({ catalog, keys: keys.keys }),
    );
    // A registry that forgot the ids the events were written with stops the service here (not retriable).
    await checkSchemaIdsOnTail(log, codec, topics.events);
    const startProjection = async (layout: ReadModelLayout): Promise<RunningProjection> => {
      const store = await adapters.openStore(layout);
      let projector: EventProjector | null = null;
      const stop = async () => {
        await projector?.stop();
        await store.close();
      };
      try {
        await store.ensureSchema();
        projector = new EventProjector({
          log,
          groupId: layout.groupId,
          topic: topics.events,
          codec,
          store,
          evictKey: (streamId) => keys.keys.evict(streamId),
          deadLetters: new DeadLetters(log, topics.eventsDlq, layout.groupId),
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
    opened = await adapters.openControl();
    supervisor = new ProjectionSupervisor(opened.control, startProjection, logger, config.controlPollMs);
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
      if (!deps.adapters) await log.close();
    },
  };
}

/** The production adapters: Kafka, the Confluent-compatible registry, and the MongoDB shards of each version. */
function kafkaMongoAdapters(config: ProjectorConfig, logger: Logger): ProjectorAdapters {
  return {
    log: new KafkaEventLog({
      kafka: createKafka({
        ...config.kafka,
        clientId: `projector-${config.instanceId}`,
        logger,
      }),
      logger,
      readerGroupPrefix: projectorKafkaNames(config.topicPrefix).readerGroupPrefix,
      replicationFactor: config.replicationFactor,
      minInsyncReplicas: config.minInsyncReplicas,
    }),
    schemaRegistry: confluentSchemaRegistry(config.schemaRegistryUrl),
    openControl: async () => {
      const controlShard = await ShardSet.connect(config.mongoShards.slice(0, 1), config.readDatabase);
      return {
        control: new ReadModelControl(controlShard.primary, {
          version: config.readModelVersion,
          groupId: config.groupId,
          shards: config.mongoShards,
        }),
        reachable: async () => (await controlShard.ping())[0] === true,
        close: () => controlShard.close(),
      };
    },
    openStore: async (layout) => {
      const names = readModelCollections(layout.version);
      return new MongoReadStore(await ShardSet.connect(layout.shards, config.readDatabase), () => names);
    },
    openKeyStore: () => connectKeyStore(config.keys),
  };
}
