import { Long, MongoClient } from 'mongodb';
import { randomName, testEndpoints } from '@eventfold/testing';

/**
 * The filters the read model and the key store send, answered with MongoDB's semantics by the test shard. Our
 * FerretDB build pushes `_id`, `$in` and top-level equalities down to SQLite's indexes
 * (packages/infra/src/servers/ferretdbPatch/eventfold_pushdown.go) as a superset the server filters again: these
 * are the documents a careless pushdown would lose (arrays, a double equal to an int, -0, escaped strings).
 */
describe('filters on the test shard', () => {
  const client = new MongoClient(testEndpoints().mongoShards[0]!);
  const db = client.db(randomName('filter_semantics').replace(/-/g, '_'));
  const events = db.collection<Record<string, unknown> & { _id: string }>('events');
  const odd = 'a<b>&"c\\d é 😀\u2028\t\u0001';

  beforeAll(async () => {
    await client.connect();
    await events.createIndex({ streamId: 1, version: 1 });
    await events.createIndex({ partition: 1, offset: 1 });
    await events.insertMany([
      ...Array.from({ length: 60 }, (_, n) => ({
        _id: `s${n % 6}:${n}`,
        streamId: `s${n % 6}`,
        version: Math.floor(n / 6) + 1,
        partition: n % 3,
        offset: String(100 + n),
      })),
      { _id: 'array', streamId: ['s1', 'other'], version: 50, partition: [2, 7], offset: '150' },
      { _id: 'double', streamId: 's2', version: 51, partition: 2.0, offset: '151' },
      { _id: 'negative-zero', streamId: 's3', version: 52, partition: -0.0, offset: '152' },
      { _id: 'long', streamId: 's4', version: 53, partition: Long.fromNumber(2), offset: '153' },
      { _id: odd, streamId: odd, version: 1, partition: 9, offset: '154' },
    ]);
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const ids = async (filter: Record<string, unknown>) =>
    (await events.find(filter).toArray()).map((d) => d._id).sort();

  it('matches a string equality in arrays as well as in strings', async () => {
    expect(await ids({ streamId: 's1', version: { $gt: 8 } })).toEqual(['array', 's1:49', 's1:55']);
  });

  it('matches a whole number whatever its type, and 0 as -0', async () => {
    expect(await ids({ partition: 2, offset: { $gte: '150' } })).toEqual([
      'array',
      'double',
      'long',
      's2:50',
      's2:56',
      's5:53',
      's5:59',
    ]);
    expect(await ids({ partition: 2.0, offset: '151' })).toEqual(['double']);
    expect(await ids({ partition: 0, offset: { $gt: '150' } })).toEqual(
      ['negative-zero', 's3:51', 's0:54', 's3:57'].sort(),
    );
    expect(await ids({ partition: 7 })).toEqual(['array']);
  });

  it('matches strings with characters JSON escapes, by _id, by $in and by field', async () => {
    expect(await ids({ _id: odd })).toEqual([odd]);
    expect(await ids({ streamId: odd, partition: 9 })).toEqual([odd]);
    expect(await ids({ _id: { $in: [odd, 's0:0', 'missing'] } })).toEqual([odd, 's0:0'].sort());
  });

  it('applies every other condition of a filter with _id in it', async () => {
    expect(await ids({ _id: 's0:6', version: 2 })).toEqual(['s0:6']);
    expect(await ids({ _id: 's0:6', version: 3 })).toEqual([]);
    expect(await ids({ _id: { $in: ['s0:6', 's1:7'] }, streamId: 's1' })).toEqual(['s1:7']);
  });

  it('leaves non-whole numbers, regexes and operators to the server', async () => {
    expect(await ids({ partition: 2.5 })).toEqual([]);
    expect(await ids({ streamId: { $regex: '^s5$' }, version: 10 })).toEqual(['s5:59']);
    expect(await ids({ $or: [{ _id: 'long' }, { _id: 'double' }] })).toEqual(['double', 'long']);
    expect(await ids({ partition: Long.fromNumber(0), offset: '152' })).toEqual(['negative-zero']);
  });
});
