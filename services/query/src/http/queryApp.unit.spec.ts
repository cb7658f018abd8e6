import { MongoNetworkError } from 'mongodb';
import { listen, type Listening } from '@eventfold/http';
import { Counter, createLogger, createMetricsRegistry } from '@eventfold/observability';
import type { UserReadStore } from '@eventfold/users-domain';
import { CheckpointWatcher } from '../reading/checkpointWatcher';
import { LogEnds } from '../reading/logEnds';
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

  /** The query app over `store`, with a log whose partitions end at `ends`. */
  const start = async (store: UserReadStore, ends: readonly bigint[] = [1n], consistencyWaitMs = 200) => {
    const registry = createMetricsRegistry('query');
    const app = queryApp({
      reads: () => new UserReads(() => store),
      checkpoints: new CheckpointWatcher(() => store),
      logEnds: new LogEnds(async () => ends, 1000),
      consistencyWaitMs,
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

  it('answers every request the document admits: any cursor of the documented shape, asOf with atVersion', async () => {
    const get = await start(storeWith(async () => new Map()));
    expect(await get('/v1/users?cursor=AAAA.0f8fad5b-d9cb-469f-a165-70867728950e')).toMatchObject({
      status: 200,
      body: { items: [], nextCursor: null },
    });
    expect(await get(`/v1/users/${user}/events?cursor=7`)).toMatchObject({
      status: 200,
      body: { items: [] },
    });
    expect(await get(`/v1/users/${user}?asOf=2026-01-01T00:00:00Z&atVersion=2`)).toMatchObject({
      status: 404,
      body: { code: 'USER_NOT_FOUND' },
    });
  });

  describe('consistency tokens', () => {
    // Partition 0 holds offsets 0..9 and the projector has passed 4; partition 1 is empty; there is no partition 2.
    const checkpoints = async () => new Map([[0, 4n]]);

    it.each(['2:0', '87644:48', '0:10', '0:98012593', '1:0'])(
      'refuses %s, which the log cannot reach, with 400 at once instead of waiting',
      async (token) => {
        const get = await start(storeWith(checkpoints), [10n, 0n], 2000);
        const started = Date.now();
        for (const path of ['/v1/users', `/v1/users/${user}`, `/v1/users/${user}/events`]) {
          expect(await get(path, { 'x-consistency-token': token, prefer: 'allow-stale' })).toMatchObject({
            status: 400,
            body: { code: 'CONSISTENCY_TOKEN_UNREACHABLE' },
          });
        }
        expect(Date.now() - started).toBeLessThan(1000);
      },
    );

    it('waits for a real position the projector has not passed, and answers at once for one it has', async () => {
      const get = await start(storeWith(checkpoints), [10n, 0n], 200);
      expect(await get(`/v1/users/${user}`, { 'x-consistency-token': '0:9' })).toMatchObject({
        status: 503,
        body: { code: 'CONSISTENCY_TIMEOUT' },
      });
      expect(await get(`/v1/users/${user}`, { 'x-consistency-token': '0:4' })).toMatchObject({
        status: 404,
        body: { code: 'USER_NOT_FOUND' },
      });
    });
  });
});
