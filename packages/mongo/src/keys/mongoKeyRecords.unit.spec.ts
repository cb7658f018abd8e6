import { Binary, type Db } from 'mongodb';
import type { KeyRecord } from '@eventfold/crypto';
import { MongoKeyRecords } from './mongoKeyRecords';

type Document = { _id: string; keyId: string | null; state: string; wrappedKey: Binary };

/**
 * A data_keys collection whose unordered bulk insert stops at the first duplicate and reports only that one, as
 * FerretDB may: `{ code: 11000, writeErrors: [first], insertedCount: documents before it }`.
 */
function stoppingAtFirstDuplicate(existing: Document[]) {
  const documents = new Map(existing.map((d) => [d._id, d]));
  const calls: string[] = [];
  const duplicate = (index: number) => ({ index, code: 11000, errmsg: 'E11000 duplicate key error' });
  const collection = {
    insertOne: async (document: Document) => {
      calls.push(`insertOne ${document._id}`);
      if (documents.has(document._id)) throw Object.assign(new Error('E11000'), { code: 11000 });
      documents.set(document._id, document);
    },
    insertMany: async (batch: Document[]) => {
      calls.push('insertMany');
      const first = batch.findIndex((d) => documents.has(d._id));
      for (const document of first === -1 ? batch : batch.slice(0, first))
        documents.set(document._id, document);
      if (first !== -1)
        throw Object.assign(new Error('E11000'), {
          code: 11000,
          writeErrors: [duplicate(first)],
          insertedCount: first,
        });
    },
    findOne: async (filter: { _id: string }) => {
      calls.push(`findOne ${filter._id}`);
      return documents.get(filter._id) ?? null;
    },
    find: (filter: { _id: { $in: string[] } }) => {
      calls.push('find');
      const found = filter._id.$in.flatMap((id) => documents.get(id) ?? []);
      return { batchSize: () => ({ toArray: async () => found }) };
    },
  };
  const db = { databaseName: 'keys', collection: () => collection } as unknown as Db;
  return { records: new MongoKeyRecords(db), collection, documents, calls };
}

const record = (streamId: string): Extract<KeyRecord, { state: 'active' }> => ({
  state: 'active',
  streamId,
  keyId: `${streamId}#new`,
  wrappedKey: Buffer.alloc(60, 1),
  createdAt: new Date(0),
});

describe('MongoKeyRecords.insertMany', () => {
  it('finds out what a bulk insert stopped at its first duplicate left undone, and inserts it one by one', async () => {
    const { records, documents, calls } = stoppingAtFirstDuplicate([
      { _id: 'user-b', keyId: 'user-b#old', state: 'active', wrappedKey: new Binary(Buffer.alloc(60)) },
      { _id: 'user-d', keyId: 'user-d#old', state: 'active', wrappedKey: new Binary(Buffer.alloc(60)) },
    ]);
    const inserted = await records.insertMany(['user-a', 'user-b', 'user-c', 'user-d', 'user-e'].map(record));
    expect([...inserted].sort()).toEqual(['user-a', 'user-c', 'user-e']);
    // What the bulk may have left undone is read back (one `$in` query), then inserted one by one.
    expect(calls).toEqual(['insertMany', 'find', 'insertOne user-c', 'insertOne user-e']);
    expect(documents.get('user-b')?.keyId).toBe('user-b#old');
    expect(documents.get('user-d')?.keyId).toBe('user-d#old');
    expect(documents.get('user-e')?.keyId).toBe('user-e#new');
  });

  it('takes a bulk insert that went through at its word, and sends nothing for no records', async () => {
    const { records, calls } = stoppingAtFirstDuplicate([]);
    expect([...(await records.insertMany([record('user-a'), record('user-b')]))]).toEqual([
      'user-a',
      'user-b',
    ]);
    expect((await records.insertMany([])).size).toBe(0);
    expect(calls).toEqual(['insertMany']);
  });

  it('passes on a failure that is not a duplicate key', async () => {
    const { records, collection } = stoppingAtFirstDuplicate([]);
    const failing = Object.assign(new Error('not primary'), { code: 10107 });
    jest.spyOn(collection, 'insertMany').mockRejectedValueOnce(failing);
    await expect(records.insertMany([record('user-a')])).rejects.toBe(failing);
  });
});
