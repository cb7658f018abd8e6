import { userTopicNames } from '@eventfold/avro';
import { connectWithRetry, InfrastructureError, type EventLog } from '@eventfold/core';
import { createKafka, KafkaEventLog } from '@eventfold/kafka';
import { ReadModelControl, ShardSet } from '@eventfold/mongo';
import type { UserReadStore } from '@eventfold/users-domain';
import { Counter, createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { QueryServiceConfig } from './config';
import { listen } from '@eventfold/http';
import { queryApp } from './http/queryApp';
import { ActiveReadModel, fixedReadModel, type ServingReadModel } from './reading/activeReadModel';
import { CheckpointSignal } from './feed/checkpointSignal';
import { CheckpointWatcher } from './reading/checkpointWatcher';
import { LogEnds } from './reading/logEnds';

/** How long a read waits for the log to say where it ends before it treats the token as before (it may wait). */
const LOG_ENDS_TIMEOUT_MS = 1000;

export interface RunningQueryService {
  readonly url: string;
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the query service: HTTP first, then (retrying until they answer) the shards. */
export interface QueryServiceDeps {
  readonly logger: Logger;
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

export async function startQueryService(
  config: QueryServiceConfig,
  deps: QueryServiceDeps,
): Promise<RunningQueryService> {
  const { logger } = deps;
  const registry = createMetricsRegistry('query');
  const consistencyOutcomes = new Counter({
    name: 'eventfold_query_consistency_waits_total',
    help: 'Reads that carried a consistency token, by outcome (reached, stale, timeout, unreachable)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  let model: ServingReadModel | null = null;
  let stopped = false;
  const notReady = () =>
    new InfrastructureError(
      'SERVICE_STARTING',
      'The query service is still connecting to the read model; retry shortly',
    );

  let closeControl = async () => undefined as void;
  const serving = () => {
    if (!model) throw notReady();
    return model;
  };
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
  const app = queryApp({
    reads: () => serving().reads,
    checkpoints: new CheckpointWatcher(() => serving().checkpoints),
    logEnds: new LogEnds(() => eventLog.partitionEnds(eventsTopic, { written: true }), LOG_ENDS_TIMEOUT_MS),
    consistencyWaitMs: config.consistencyWaitMs,
    feed: {
      checkpoints: new CheckpointSignal(
        () => serving().checkpoints,
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
    consistencyOutcomes,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!model) return { ready: false, checks: { startup: 'connecting to the read store' } };
      const parts = await model.health();
      return {
        ready: Object.values(parts).every(Boolean),
        checks: {
          readModelVersion: String(model.version),
          ...Object.fromEntries(Object.entries(parts).map(([part, ok]) => [part, ok ? 'up' : 'unreachable'])),
        },
      };
    },
  });
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const started = connectWithRetry({
    connect: async () => {
      if (deps.openStore) {
        model = fixedReadModel(await deps.openStore(), config.readModelVersion);
        logger.info({ port, version: model.version }, 'query service started');
        return;
      }
      const connect = (uris: readonly string[]) =>
        ShardSet.connect(uris, config.readDatabase, {
          socketTimeoutMS: config.queryTimeoutMs,
          serverSelectionTimeoutMS: config.queryTimeoutMs,
        });
      const controlShard = await connect(config.mongoShards.slice(0, 1));
      const control = new ReadModelControl(controlShard.primary, {
        version: config.readModelVersion,
        groupId: '',
        shards: config.mongoShards,
      });
      try {
        model = await ActiveReadModel.start(
          control,
          connect,
          logger,
          config.controlPollMs,
          config.queryTimeoutMs,
        );
      } catch (error) {
        await controlShard.close();
        throw error;
      }
      closeControl = () => controlShard.close();
      logger.info({ port, version: model.version }, 'query service started');
    },
    cleanUp: async () => undefined,
    onAttemptFailed: (error, attempt) =>
      logger.warn({ err: error, attempt }, 'query service could not reach the shards yet; retrying'),
    onFatal: (error) => logger.error({ err: error }, 'query service cannot start'),
    isStopped: () => stopped,
  });

  return {
    url: server.url,
    started,
    async stop() {
      stopped = true;
      await server.close();
      await model?.stop();
      await closeControl();
      await ownLog?.close();
    },
  };
}
