import { MongoClient } from 'mongodb';
import { readModelCollections } from '@eventfold/mongo';
import { testEndpoints } from '@eventfold/testing';

/** Every document of one read model version, per shard, in _id order: for comparing two projections. */
export async function readModelDocuments(db: string, version = 1, shards = testEndpoints().mongoShards) {
  const names = readModelCollections(version);
  return Promise.all(
    shards.map(async (uri) => {
      const client = new MongoClient(uri);
      try {
        const all = (name: string) =>
          client.db(db).collection(name).find().sort({ _id: 1 }).batchSize(1_000_000).toArray();
        return { users: await all(names.users), events: await all(names.events) };
      } finally {
        await client.close();
      }
    }),
  );
}

/** How many history events one read model version holds, over every shard. */
export async function countEvents(db: string, version = 1, shards = testEndpoints().mongoShards) {
  const counts = await Promise.all(
    shards.map(async (uri) => {
      const client = new MongoClient(uri);
      try {
        return await client.db(db).collection(readModelCollections(version).events).countDocuments();
      } finally {
        await client.close();
      }
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}
