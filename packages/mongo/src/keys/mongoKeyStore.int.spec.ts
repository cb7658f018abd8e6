import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { randomName, testEndpoints } from '@eventfold/testing';
import { EnvelopeKeyStore, masterKeyFromBytes } from '@eventfold/crypto';
import { keyStoreContract } from '@eventfold/crypto/testing';
import { MongoKeyRecords } from './mongoKeyRecords';
import { openMongoKeyStore } from './openMongoKeyStore';

// The key store on the real FerretDB shard, in a random database per test (dropped afterwards). Each "process"
// of the contract gets its own client, as separate services would.
const uri = () => testEndpoints().mongoShards[0]!;

async function subject() {
  const name = randomName('keys');
  const clients: MongoClient[] = [];
  const connect = async () => {
    const client = await new MongoClient(uri()).connect();
    clients.push(client);
    return client.db(name);
  };
  const admin = await connect();
  return {
    open: async (master: Parameters<typeof openMongoKeyStore>[1]) =>
      openMongoKeyStore(await connect(), master),
    loseKeyCheck: async () => {
      await admin.collection('key_check').deleteOne({ _id: 'master' as never });
    },
    close: async () => {
      await admin.dropDatabase();
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

keyStoreContract('MongoDB', subject);

describe('MongoDB key store documents', () => {
  let client: MongoClient;
  const name = randomName('keys');

  beforeAll(async () => {
    client = await new MongoClient(uri()).connect();
  });
  afterAll(async () => {
    await client.db(name).dropDatabase();
    await client.close();
  });

  it('holds data keys only wrapped, and a forgotten key not at all', async () => {
    const db = client.db(name);
    const store = await EnvelopeKeyStore.open(new MongoKeyRecords(db), masterKeyFromBytes(randomBytes(32)));
    const streamId = `user-${randomBytes(16).toString('hex')}`;
    const key = await store.getOrCreate(streamId);
    const raw = key.key.export();
    const stored = await db.collection('data_keys').findOne({ _id: streamId as never });
    expect(stored).toMatchObject({ state: 'active', keyId: key.keyId });
    expect(JSON.stringify(stored)).not.toContain(raw.toString('base64'));
    expect(Buffer.from(stored!.wrappedKey.buffer).includes(raw)).toBe(false);

    await store.forget(streamId);
    const tombstone = await db.collection('data_keys').findOne({ _id: streamId as never });
    expect(Object.keys(tombstone!).sort()).toEqual(['_id', 'forgottenAt', 'keyId', 'state']);
    expect(tombstone).toMatchObject({ state: 'forgotten', keyId: key.keyId });
  });

  it('inserts many entries in one call, and says which streams already had one', async () => {
    const records = new MongoKeyRecords(client.db(name));
    const ids = Array.from({ length: 5 }, () => `user-${randomBytes(16).toString('hex')}`);
    const entry = (streamId: string, keyId: string) => ({
      state: 'active' as const,
      streamId,
      keyId: `${streamId}#${keyId}`,
      wrappedKey: randomBytes(60),
      createdAt: new Date(),
    });
    await records.insertMany([entry(ids[1]!, 'first'), entry(ids[3]!, 'first')]);
    const inserted = await records.insertMany(ids.map((id) => entry(id, 'second')));
    expect([...inserted].sort()).toEqual([ids[0], ids[2], ids[4]].sort());
    const stored = await records.readMany(ids);
    expect(ids.map((id) => stored.get(id)?.keyId?.split('#')[1])).toEqual([
      'second',
      'first',
      'second',
      'first',
      'second',
    ]);
  });
});
