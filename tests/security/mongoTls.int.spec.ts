import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { readKeySettings } from '@eventfold/crypto';
import { down, ferretDbCaFile, ferretDbShard, infraPaths, up, type ServerSpec } from '@eventfold/infra';
import { connectKeyStore } from '@eventfold/mongo';
import { freePort, randomName, TEST_KEY_ENCRYPTION_KEY } from '@eventfold/testing';
import { call, newReadSideEnv, startQuery } from '../support/readSide';

// Issue 6, item 7: MongoDB credentials and TLS options reach the driver in the URIs the services read
// (MONGO_SHARDS, MONGO_URI, KEY_STORE_URI): `user:pass@`, `tls=true`, `tlsCAFile`, `authSource`… The local
// stand-in, FerretDB 1.24 on SQLite, supports a TLS listener and (behind a flag it marks experimental) SCRAM-SHA-256
// users; a shard of the test's own runs with both, and the services' code connects to it by URI alone.

jest.setTimeout(120_000);

async function pingWith(uri: string): Promise<Error | 'answered'> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    await client.db('eventfold_tls_probe').collection('probe').findOne({});
    return 'answered';
  } catch (error) {
    return error as Error;
  } finally {
    await client.close();
  }
}

describe('MongoDB URIs with TLS and a login (FerretDB)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-mongo-tls-'));
  const paths = infraPaths({ ...process.env, EVENTFOLD_INFRA_HOME: home });
  const password = randomBytes(12).toString('base64url');
  let shard: ServerSpec;
  let tlsPort: number;
  let caFile: string;
  const uriWith = (login: string, query: string) => `mongodb://${login}127.0.0.1:${tlsPort}/?${query}`;
  const secureUri = () =>
    uriWith(`eventfold:${password}@`, `tls=true&tlsCAFile=${encodeURIComponent(caFile)}&authSource=admin`);

  beforeAll(async () => {
    tlsPort = await freePort();
    shard = ferretDbShard(9, await freePort(), { tlsPort, username: 'eventfold', password });
    await up([shard], { paths });
    caFile = ferretDbCaFile(paths.dataDir(shard.name));
  });
  afterAll(async () => {
    if (shard) await down([shard], { paths, purge: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('serves the query service and the key store through URIs with tls=true, tlsCAFile and a login', async () => {
    const env = newReadSideEnv(2);
    const query = await startQuery(env, { MONGO_SHARDS: `${secureUri()},${secureUri()}` });
    try {
      expect((await call(query.url, 'GET', `/v1/users/${randomUUID()}`)).status).toBe(404);
    } finally {
      await query.stop();
    }
    // What command, projector and notifier open first: their data keys, by KEY_STORE_URI.
    const settings = readKeySettings(
      {
        KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
        KEY_STORE_URI: secureUri(),
        KEY_STORE_DB: randomName('keys').replace(/-/g, '_'),
      },
      '',
    );
    const store = await connectKeyStore(settings);
    try {
      expect((await store.keys.getOrCreate(`user-${randomUUID()}`)).keyId).toEqual(expect.any(String));
    } finally {
      await store.close();
    }
  });

  it('refuses a client without the login, without the CA, or without TLS', async () => {
    expect(await pingWith(secureUri())).toBe('answered');
    const caQuery = `tls=true&tlsCAFile=${encodeURIComponent(caFile)}`;
    expect(await pingWith(uriWith('', caQuery))).toMatchObject({
      message: expect.stringMatching(/authentication/i),
    });
    expect(await pingWith(uriWith('eventfold:wrong@', `${caQuery}&authSource=admin`))).toMatchObject({
      message: 'Authentication failed.',
    });
    expect(await pingWith(uriWith(`eventfold:${password}@`, 'tls=true&authSource=admin'))).toMatchObject({
      message: expect.stringMatching(/certificate/),
    });
    expect(await pingWith(uriWith(`eventfold:${password}@`, 'authSource=admin'))).toBeInstanceOf(Error);
  });
});
