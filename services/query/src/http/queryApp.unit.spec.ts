import { MongoNetworkError } from 'mongodb';
import { listen, type Listening } from '@eventfold/http';
import { Counter, createLogger, createMetricsRegistry } from '@eventfold/observability';
import type { UserReadStore } from '@eventfold/users-domain';
import { CheckpointWatcher } from '../reading/checkpointWatcher';
import { UserReads } from '../reading/userReads';
import { queryApp } from './queryApp';

const user = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** The read store's reads, answering nothing; `readCheckpoints` as given. */
function storeWith(readCheckpoints: () => Promise<Map<number, bigint>>): UserReadStore {
  return {
    findDocument: async () => null,
    history: async () => [],
    search: async () => [],
    readCheckpoints,
  } as unknown as UserReadStore;
}

describe('queryApp', () => {
  let server: Listening | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const start = async (store: UserReadStore) => {
    const registry = createMetricsRegistry('query');
    const app = queryApp({
      reads: () => new UserReads(() => store),
      checkpoints: new CheckpointWatcher(() => store),
      consistencyWaitMs: 200,
      logger: createLogger('query', 'silent'),
      metrics: registry,
      readiness: async () => ({ ready: true, checks: {} }),
      consistencyOutcomes: new Counter({
        name: 'waits',
        help: 'waits',
        labelNames: ['outcome'],
        registers: [],
      }),
    });
    server = await listen(app, '127.0.0.1', 0);
    return async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server!.url}${path}`, { headers });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
  };

  it('answers 503 READ_MODEL_UNAVAILABLE, not 500, when the checkpoints a token waits for cannot be read', async () => {
    const get = await start(
      storeWith(async () => {
        throw new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017');
      }),
    );
    for (const path of ['/v1/users', `/v1/users/${user}`, `/v1/users/${user}/events`]) {
      expect(await get(path, { 'x-consistency-token': '0:0' })).toMatchObject({
        status: 503,
        body: { code: 'READ_MODEL_UNAVAILABLE' },
      });
    }
  });

  it('refuses asOf at a leap second with 400 rather than reading at an Invalid Date', async () => {
    const get = await start(storeWith(async () => new Map()));
    expect(await get(`/v1/users/${user}?asOf=2026-12-31T23:59:60Z`)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_QUERY' },
    });
  });
});
