import { connectWithRetry, InfrastructureError } from '@eventfold/core';
import { ReadModelControl, ShardSet } from '@eventfold/mongo';
import type { UserReadStore } from '@eventfold/users-domain';
import { Counter, createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { QueryServiceConfig } from './config';
import { listen } from '@eventfold/http';
import { queryApp } from './http/queryApp';
import { ActiveReadModel, fixedReadModel, type ServingReadModel } from './reading/activeReadModel';
import { CheckpointWatcher } from './reading/checkpointWatcher';

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
}

export async function startQueryService(
  config: QueryServiceConfig,
  deps: QueryServiceDeps,
): Promise<RunningQueryService> {
  const { logger } = deps;
  const registry = createMetricsRegistry('query');
  const consistencyOutcomes = new Counter({
    name: 'eventfold_query_consistency_waits_total',
    help: 'Reads that carried a consistency token, by outcome (reached, stale, timeout)',
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
  const app = queryApp({
    reads: () => serving().reads,
    checkpoints: new CheckpointWatcher(() => serving().checkpoints),
    consistencyWaitMs: config.consistencyWaitMs,
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
    },
  };
}
