import { listen, type Listening } from '@eventfold/http';
import { Counter, createLogger, createMetricsRegistry } from '@eventfold/observability';
import type { UserReadStore } from '@eventfold/users-domain';
import { queryApp } from '../http/queryApp';
import { CheckpointWatcher } from '../reading/checkpointWatcher';
import { LogEnds } from '../reading/logEnds';
import { UserReads } from '../reading/userReads';
import { CheckpointSignal } from '../feed/checkpointSignal';

/**
 * The query service's app over `store` (a fake of the read store), with short heartbeats and a 300 ms stall bound,
 * listening on a free port: what the follow feeds' unit specs serve their streams from. `DEBUG_FEED` logs.
 */
export function listenFeedTestApp(store: UserReadStore, maxBufferedBytes = 1024 * 1024): Promise<Listening> {
  const app = queryApp({
    reads: () => new UserReads(() => store),
    checkpoints: new CheckpointWatcher(() => store),
    logEnds: new LogEnds(async () => [1n], 1000),
    consistencyWaitMs: 100,
    logger: createLogger('query', process.env.DEBUG_FEED ? 'info' : 'silent'),
    metrics: createMetricsRegistry('query'),
    readiness: async () => ({ ready: true, checks: {} }),
    consistencyOutcomes: new Counter({ name: 'w', help: 'w', labelNames: ['outcome'], registers: [] }),
    feed: {
      checkpoints: new CheckpointSignal(
        () => store,
        5,
        () => undefined,
      ),
      heartbeatMs: 50,
      maxBufferedBytes,
      stallMs: 300,
    },
  });
  return listen(app, '127.0.0.1', 0);
}
