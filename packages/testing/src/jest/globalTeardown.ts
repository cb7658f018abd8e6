import { MongoClient } from 'mongodb';
import { testKeyStorePrefixOf } from '../keys';
import type { Provisioned } from '../provision';

/**
 * Drops this run's key store databases (one per test file), then gives back only what the global setup started;
 * servers that ran before the tests keep running.
 */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __eventfoldInfra?: Provisioned };
  const provisioned = holder.__eventfoldInfra;
  delete holder.__eventfoldInfra;
  const run = process.env.EVENTFOLD_TEST_RUN;
  const shard = process.env.MONGO_SHARDS?.split(',')[0];
  if (run && shard) await dropDatabases(shard, testKeyStorePrefixOf(run)).catch(() => undefined);
  await provisioned?.release();
}

async function dropDatabases(uri: string, prefix: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
    for (const { name } of databases.filter((d) => d.name.startsWith(prefix)))
      await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
