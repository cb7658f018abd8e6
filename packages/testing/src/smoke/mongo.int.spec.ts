import { MongoClient } from 'mongodb';
import { randomName } from '../names';
import { testEndpoints } from '../endpoints';

describe('MongoDB-compatible shards (real servers)', () => {
  const shards = testEndpoints().mongoShards;

  it('has two shards', () => {
    expect(shards.length).toBeGreaterThanOrEqual(2);
  });

  it.each(shards.map((uri, index) => [index, uri]))(
    'shard %i accepts writes and reads',
    async (_index, uri) => {
      const client = new MongoClient(uri);
      const db = client.db(randomName('smoke'));
      try {
        await db.collection('things').insertMany([
          { _id: 'a' as never, n: 1 },
          { _id: 'b' as never, n: 2 },
        ]);
        await db.collection('things').updateOne({ _id: 'a' as never }, { $inc: { n: 10 } });
        const docs = await db.collection('things').find().sort({ _id: 1 }).toArray();
        expect(docs).toEqual([
          { _id: 'a', n: 11 },
          { _id: 'b', n: 2 },
        ]);
      } finally {
        await db.dropDatabase();
        await client.close();
      }
    },
  );
});
