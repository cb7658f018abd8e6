import { MongoClient } from 'mongodb';
import { testEndpoints } from '@eventfold/testing';
import { keyStoreDbOf } from '@eventfold/system-tests';
import { benchKafka } from './benchKafka';

/**
 * Deletes what one benchmark created on the shared servers: the topics and consumer groups under its own random
 * prefix, its own databases and its key store. Nothing else: other sessions use the same servers.
 */
export async function removeCreated(options: {
  prefix: string;
  databases: readonly string[];
}): Promise<void> {
  if (!options.prefix.trim())
    throw new Error('Refusing to clean up without a prefix: it would match every topic');
  const kafka = benchKafka('bench-cleanup');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(options.prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(options.prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
  await Promise.all(
    testEndpoints().mongoShards.map(async (uri) => {
      const client = new MongoClient(uri);
      try {
        for (const db of [...options.databases, keyStoreDbOf(options.prefix)])
          await client.db(db).dropDatabase();
      } finally {
        await client.close();
      }
    }),
  );
}
