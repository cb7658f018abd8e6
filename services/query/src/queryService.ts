import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InfrastructureError } from '@eventfold/core';
import { CheckpointStore, readModelCollections, ShardSet } from '@eventfold/mongo';
import { Counter, createMetricsRegistry, type Logger } from '@eventfold/observability';
import type { QueryServiceConfig } from './config';
import { queryApp } from './http/queryApp';
import { CheckpointWatcher } from './reading/checkpointWatcher';
import { UserReads } from './reading/userReads';

export interface RunningQueryService {
  readonly url: string;
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;

  const started = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        shards = await ShardSet.connect(config.mongoShards, config.readDatabase, {
          socketTimeoutMS: config.queryTimeoutMs,
          serverSelectionTimeoutMS: config.queryTimeoutMs,
        });
        checkpointStore = new CheckpointStore(shards.primary, names.checkpoints);
        reads = new UserReads(shards, () => names);
        logger.info({ port, shards: shards.size }, 'query service started');
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'query service could not reach the shards yet; retrying');
        await sleep(Math.min(500 * attempt, 5000));
      }
    }
  })();

  return {
    url: `http://${config.host}:${port}`,
    started,
    async stop() {
      stopped = true;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(grace);
      await shards?.close();
    },
  };
}
