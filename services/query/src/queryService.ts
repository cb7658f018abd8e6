import { connectWithRetry, InfrastructureError } from '@eventfold/core';
import { MongoReadStore, readModelCollections, ShardSet } from '@eventfold/mongo';
import type { UserReadStore } from '@eventfold/users-domain';
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

export interface QueryServiceDeps {
  readonly logger: Logger;
  /** Opens the read store; by default the MongoDB shards of the configuration (closed on stop). */
  readonly openStore?: () => Promise<UserReadStore>;
}

/** Assembles the query service: HTTP first, then (retrying until it answers) the read store. */
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
  let store: UserReadStore | null = null;
  let reads: UserReads | null = null;
  let stopped = false;
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
        store ??
        (() => {
          throw notReady();
        })(),
    ),
    consistencyWaitMs: config.consistencyWaitMs,
    logger,
    metrics: registry,
    consistencyOutcomes,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!store) return { ready: false, checks: { startup: 'connecting to the read store' } };
      const parts = await store.health();
      return {
        ready: Object.values(parts).every(Boolean),
        checks: Object.fromEntries(
          Object.entries(parts).map(([part, ok]) => [part, ok ? 'up' : 'unreachable']),
        ),
      };
    },
  });
  const server = await listen(app, config.host, config.port);
  const { port } = server;

  const started = connectWithRetry({
    connect: async () => {
      const opened = await (deps.openStore ?? (() => openMongoStore(config)))();
      store = opened;
      reads = new UserReads(() => opened);
      logger.info({ port }, 'query service started');
    },
    cleanUp: async () => undefined,
    onAttemptFailed: (error, attempt) =>
      logger.warn({ err: error, attempt }, 'query service could not reach the read store yet; retrying'),
    onFatal: (error) => logger.error({ err: error }, 'query service cannot start'),
    isStopped: () => stopped,
  });

  return {
    url: server.url,
    started,
    async stop() {
      stopped = true;
      await server.close();
      if (!deps.openStore) await store?.close();
    },
  };
}

/** The production read store: the MongoDB shards, every round trip bounded by the query timeout. */
async function openMongoStore(config: QueryServiceConfig): Promise<UserReadStore> {
  const names = readModelCollections(config.readModelVersion);
  const shards = await ShardSet.connect(config.mongoShards, config.readDatabase, {
    socketTimeoutMS: config.queryTimeoutMs,
    serverSelectionTimeoutMS: config.queryTimeoutMs,
  });
  return new MongoReadStore(shards, () => names);
}
