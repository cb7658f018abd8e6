import type { Document } from 'mongodb';
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

describe('MongoReadStore reads', () => {
  it('bound every query with maxTimeMS, so that a scan stops when the client stops waiting', async () => {
    const database = randomName('maxtime');
    const finds: Document[] = [];
    const shards = await ShardSet.connect(testEndpoints().mongoShards, database, {
      onCommand: (name, command) => {
        if (name === 'find') finds.push(command);
      },
    });
    const names = readModelCollections(1);
    const store = new MongoReadStore(shards, () => names, { maxTimeMS: 1500 });
    try {
      const streamId = 'user-0f8fad5b-d9cb-469f-a165-70867728950e';
      await store.findDocument(streamId);
      await store.history(streamId, { asOf: new Date() });
      await store.history(streamId, { afterVersion: 1, limit: 20 });
      await store.search({ nameContains: 'ada', limit: 21 });
      await store.search({ after: ['ada', streamId], limit: 21 });
      await store.readCheckpoints();
      // One find per read, and one per shard for each search.
      expect(finds.length).toBe(4 + 2 * shards.size);
      expect(finds.filter((command) => command.maxTimeMS !== 1500)).toEqual([]);
    } finally {
      await Promise.allSettled(shards.dbs.map((db) => db.dropDatabase()));
      await shards.close();
    }
  });
});
