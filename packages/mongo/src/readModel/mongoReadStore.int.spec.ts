import { randomName, readStoreContract, testEndpoints } from '@eventfold/testing';
import { ShardSet } from '../sharding/shardSet';
import { readModelCollections } from './documents';
import { MongoReadStore } from './mongoReadStore';

// The same contract suite as the embedded SQLite read store (packages/embedded), on the real shards.
readStoreContract('MongoDB shards', async () => {
  const database = randomName('contract');
  const shards = await ShardSet.connect(testEndpoints().mongoShards, database);
  const names = readModelCollections(1);
  return {
    store: new MongoReadStore(shards, () => names),
    close: async () => {
      await Promise.allSettled(shards.dbs.map((db) => db.dropDatabase()));
      await shards.close();
    },
  };
});
