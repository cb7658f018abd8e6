import { MongoClient } from 'mongodb';
import { randomName, testEndpoints } from '@eventfold/testing';
import { findByIds } from './findByIds';

describe('findByIds (on the test shard)', () => {
  const client = new MongoClient(testEndpoints().mongoShards[0]!);
  const db = client.db(randomName('find_by_ids').replace(/-/g, '_'));
  const docs = db.collection<{ _id: string; n: number }>('docs');

  beforeAll(async () => {
    await client.connect();
    await docs.insertMany(Array.from({ length: 40 }, (_, n) => ({ _id: `doc-${n}`, n })));
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const idsOf = (found: { _id: string }[]) => found.map((d) => d._id).sort();

  it('finds a few ids, skipping missing ones and repeats', async () => {
    const found = await findByIds(docs, ['doc-3', 'doc-7', 'missing', 'doc-3']);
    expect(idsOf(found)).toEqual(['doc-3', 'doc-7']);
    expect(found.find((d) => d._id === 'doc-7')?.n).toBe(7);
  });

  it('finds many ids, skipping missing ones', async () => {
    const wanted = Array.from({ length: 20 }, (_, n) => `doc-${n * 2}`);
    const found = await findByIds(docs, [...wanted, 'missing']);
    expect(idsOf(found)).toEqual([...wanted].sort());
  });

  it('asks nothing for no ids', async () => {
    expect(await findByIds(docs, [])).toEqual([]);
  });
});
