import { connectWithRetry, InfrastructureError } from '@eventfold/core';
import { CheckpointStore, readModelCollections, ShardSet } from '@eventfold/mongo';
import { Counter, createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { QueryServiceConfig } from './config';
import { listen } from '@eventfold/http';
import { queryApp } from './http/queryApp';
import { CheckpointWatcher } from './reading/checkpointWatcher';
import { UserReads } from './reading/userReads';

export interface RunningQueryService {
  readonly url: string;
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the query service: HTTP first, then (retrying until they answer) the shards. */
export async function startQueryService(
  config: QueryServiceConfig,
  deps: { logger: Logger },
): Promise<RunningQueryService> {
  const { logger } = deps;
  const registry = createMetricsRegistry('query');
  const consistencyOutcomes = new Counter({
    name: 'eventfold_query_consistency_waits_total',
    help: 'Reads that carried a consistency token, by outcome (reached, stale, timeout)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  let shards: ShardSet | null = null;
  let reads: UserReads | null = null;
  let checkpointStore: CheckpointStore | null = null;
  let stopped = false;
  const names = readModelCollections(config.readModelVersion);
  const notReady = () =>
    new InfrastructureError(
      'SERVICE_STARTING',
      'The query service is still connecting to the read model; retry shortly',
    );

  const app = queryApp({
    reads: () =>
      reads ??
      (() => {
        throw notReady();
      })(),
    checkpoints: new CheckpointWatcher(
      () =>
        checkpointStore ??
        (() => {
          throw notReady();
        })(),
    ),
    consistencyWaitMs: config.consistencyWaitMs,
    logger,
    metrics: registry,
    consistencyOutcomes,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!shards) return { ready: false, checks: { startup: 'connecting to the shards' } };
      const pings = await shards.ping();
      return {
        ready: pings.every(Boolean),
        checks: Object.fromEntries(pings.map((ok, i) => [`shard${i}`, ok ? 'up' : 'unreachable'])),
      };
    },
  });
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const started = connectWithRetry({
    connect: async () => {
      shards = await ShardSet.connect(config.mongoShards, config.readDatabase, {
        socketTimeoutMS: config.queryTimeoutMs,
        serverSelectionTimeoutMS: config.queryTimeoutMs,
      });
      checkpointStore = new CheckpointStore(shards.primary, names.checkpoints);
      reads = new UserReads(shards, () => names);
      logger.info({ port, shards: shards.size }, 'query service started');
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
      await shards?.close();
    },
  };
}
