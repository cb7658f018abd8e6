// The Emmett peer of `pnpm bench --only peers`, as Emmett's expressjs-with-postgresql sample starts its API:
// one Node process, getPostgreSQLEventStore on a pg pool, the schema migrated at start, getApplication + startAPI.
import { onShutdown } from '@event-driven-io/emmett';
import { getApplication, OK, startAPI } from '@event-driven-io/emmett-expressjs';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { route, usersApi } from './api';

async function main(): Promise<void> {
  const connectionString = process.env.POSTGRESQL_CONNECTION_STRING;
  if (!connectionString) throw new Error('POSTGRESQL_CONNECTION_STRING is required');
  // Emmett builds a pg.Pool with pg's default size (10) unless given one; the benchmark passes the size it chose.
  const pool = new pg.Pool({ connectionString, max: Number(process.env.PG_POOL_MAX ?? '10') });
  const eventStore = getPostgreSQLEventStore(connectionString, {
    connectionOptions: { pool },
    schema: { autoMigration: 'None' },
  });
  await eventStore.schema.migrate();
  const application = getApplication({
    apis: [
      usersApi(eventStore, () => new Date()),
      (router) =>
        router.get(
          '/healthz',
          route(() => OK({ body: { status: 'ok' } })),
        ),
    ],
  });
  const server = startAPI(application, { port: Number(process.env.PORT ?? '3000') });
  onShutdown(() => {
    server.close(
      () =>
        void eventStore
          .close()
          .then(() => pool.end())
          .finally(() => process.exit(0)),
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
