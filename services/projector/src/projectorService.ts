import { confluentSchemaRegistry, userTopicNames } from '@eventfold/avro';
import { openOwnedKeyStore, readableUserEvents, type UserLogAdapters } from '@eventfold/crypto';
import { serviceContext, type Own, type ServiceDeps, type StartedService } from '@eventfold/http';
import { serviceEventLog, userTopology } from '@eventfold/kafka';
import {
  connectKeyStore,
  MongoReadStore,
  readModelCollections,
  ReadModelControl,
  type ReadModelControlState,
  type ReadModelLayout,
  ShardSet,
} from '@eventfold/mongo';
import type { Logger } from '@eventfold/observability';
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
export interface ProjectorAdapters extends UserLogAdapters {
  readonly openControl: () => Promise<OpenedControl>;
  /** The read store of one read model version. */
  readonly openStore: (layout: ReadModelLayout) => Promise<UserReadStore>;
}

export interface ProjectorDeps extends ServiceDeps {
  /** The adapters to use; by default Kafka, the registry and the MongoDB shards of the configuration. */
  readonly adapters?: ProjectorAdapters;
}

export interface ProjectorServiceParts {
  readonly control: OpenedControl;
  readonly supervisor: ProjectionSupervisor;
}

export type RunningProjectorService = StartedService<ProjectorServiceParts>;

/**
 * The projector: its parts are the key store, the topics, the event codec and the projection supervisor that feeds
 * each read model version the control document names; startService serves health and metrics at once.
 */
export async function startProjectorService(
  config: ProjectorConfig,
  deps: ProjectorDeps,
): Promise<RunningProjectorService> {
  const { logger, metrics, startService } = serviceContext(deps, 'projector', projectorMetrics);
  const topics = userTopicNames(config.topicPrefix);
  const adapters = deps.adapters ?? productionAdapters(config, logger);
  const { log } = adapters;

  const connect = async (own: Own): Promise<ProjectorServiceParts> => {
    const keys = await openOwnedKeyStore(adapters.openKeyStore, own, logger);
    await log.ensureTopics(userTopology({ ...config, topics }));
    const codec = await readableUserEvents({
      log,
      registry: adapters.schemaRegistry,
      keys,
      topic: topics.events,
    });
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
          evictKey: (streamId) => keys.evict(streamId),
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
    const control = await adapters.openControl();
    own('the read model control', () => control.close());
    const supervisor = new ProjectionSupervisor(
      control.control,
      startProjection,
      logger,
      config.controlPollMs,
    );
    own('the projections', () => supervisor.stop());
    await supervisor.start();
    logger.info({ group: config.groupId, version: config.readModelVersion }, 'projector feeding');
    return { control, supervisor };
  };

  return startService({
    name: 'projector',
    listenOn: config,
    connecting: 'connecting to Kafka, the schema registry and the shards',
    connect,
    readiness: async ({ control, supervisor }) => {
      const controlUp = await control.reachable();
      return {
        ready: supervisor.ready && controlUp,
        checks: {
          consumer: supervisor.ready ? 'joined' : 'joining',
          versions: supervisor.versions.join(',') || 'none',
          control: controlUp ? 'up' : 'unreachable',
        },
      };
    },
    ...(deps.adapters ? {} : { release: () => log.close() }),
  });
}

/** The production adapters: Kafka, the Confluent-compatible registry, and the MongoDB shards of each version. */
function productionAdapters(config: ProjectorConfig, logger: Logger): ProjectorAdapters {
  return {
    log: serviceEventLog(
      config,
      'projector',
      projectorKafkaNames(config.topicPrefix).readerGroupPrefix,
      logger,
    ),
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
