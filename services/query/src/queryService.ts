import { userTopicNames } from '@eventfold/avro';
import type { EventLog } from '@eventfold/core';
import { serviceContext, type Own, type ServiceDeps, type StartedService } from '@eventfold/http';
import { createKafka, KafkaEventLog } from '@eventfold/kafka';
import { ReadModelControl, ShardSet } from '@eventfold/mongo';
import type { UserReadStore } from '@eventfold/users-domain';
import type { QueryServiceConfig } from './config';
import { queryApp } from './http/queryApp';
import { queryMetrics } from './queryMetrics';
import { ActiveReadModel, fixedReadModel, type ServingReadModel } from './reading/activeReadModel';
import { CheckpointSignal } from './feed/checkpointSignal';
import { CheckpointWatcher } from './reading/checkpointWatcher';
import { LogEnds } from './reading/logEnds';

/** How long a read waits for the log to say where it ends before it treats the token as before (it may wait). */
const LOG_ENDS_TIMEOUT_MS = 1000;

export type RunningQueryService = StartedService<ServingReadModel>;

export interface QueryServiceDeps extends ServiceDeps {
  /**
   * Opens the one read store to serve (the embedded mode); by default the MongoDB shards of the configuration,
   * following the read model control document's active version.
   */
  readonly openStore?: () => Promise<UserReadStore>;
  /**
   * The event log, asked only where users.events ends (the embedded mode's, which it keeps open); by default
   * Kafka of the configuration, through an admin client the service opens and closes.
   */
  readonly eventLog?: Pick<EventLog, 'partitionEnds'>;
}

/** The query service: its one part is the read model it serves, which startService connects, retrying. */
export async function startQueryService(
  config: QueryServiceConfig,
  deps: QueryServiceDeps,
): Promise<RunningQueryService> {
  const { logger, registry, metrics, startService } = serviceContext(deps, 'query', queryMetrics);
  // Kafka is asked where users.events ends, nothing else (decision in README, "Consistency tokens"): the projector's
  // checkpoints say how far the read model is, not how far the log is, which a token just issued may be past.
  const ownLog = deps.eventLog
    ? null
    : new KafkaEventLog({
        kafka: createKafka({ ...config.kafka, clientId: 'query', logger }),
        logger,
        readerGroupPrefix: `${config.topicPrefix}query.`,
      });
  const eventLog = deps.eventLog ?? ownLog!;
  const eventsTopic = userTopicNames(config.topicPrefix).events;

  const connect = async (own: Own): Promise<ServingReadModel> => {
    if (deps.openStore) {
      const model = fixedReadModel(await deps.openStore(), config.readModelVersion);
      own('the read store', () => model.stop());
      return model;
    }
    const connectShards = (uris: readonly string[]) =>
      ShardSet.connect(uris, config.readDatabase, {
        socketTimeoutMS: config.queryTimeoutMs,
        serverSelectionTimeoutMS: config.queryTimeoutMs,
      });
    const controlShard = await connectShards(config.mongoShards.slice(0, 1));
    own('the read model control', () => controlShard.close());
    const control = new ReadModelControl(controlShard.primary, {
      version: config.readModelVersion,
      groupId: '',
      shards: config.mongoShards,
    });
    const model = await ActiveReadModel.start(
      control,
      connectShards,
      logger,
      config.controlPollMs,
      config.queryTimeoutMs,
    );
    own('the read model', () => model.stop());
    logger.info({ version: model.version }, 'query service serving');
    return model;
  };

  return startService({
    name: 'query service',
    listenOn: config,
    connecting: 'connecting to the read store',
    app: ({ readiness, parts }) =>
      queryApp({
        reads: () => parts().reads,
        checkpoints: new CheckpointWatcher(() => parts().checkpoints),
        logEnds: new LogEnds(
          () => eventLog.partitionEnds(eventsTopic, { written: true }),
          LOG_ENDS_TIMEOUT_MS,
        ),
        consistencyWaitMs: config.consistencyWaitMs,
        feed: {
          checkpoints: new CheckpointSignal(
            () => parts().checkpoints,
            config.feedPollMs,
            (error) => logger.debug({ err: error }, 'follow feed could not read the checkpoints'),
          ),
          heartbeatMs: config.feedHeartbeatMs,
          maxBufferedBytes: config.feedMaxBufferedBytes,
          stallMs: config.feedStallMs,
        },
        internalToken: config.internalToken,
        logger,
        metrics: registry,
        consistencyOutcomes: metrics.consistencyOutcomes,
        readiness,
      }),
    connect,
    readiness: async (model) => {
      const parts = await model.health();
      return {
        ready: Object.values(parts).every(Boolean),
        checks: {
          readModelVersion: String(model.version),
          ...Object.fromEntries(Object.entries(parts).map(([part, ok]) => [part, ok ? 'up' : 'unreachable'])),
        },
      };
    },
    ...(ownLog ? { release: () => ownLog.close() } : {}),
  });
}
