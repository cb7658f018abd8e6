import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@eventfold/embedded';
import { randomName, spawnService, waitFor, type ServiceProcess } from '@eventfold/testing';
import { temporaryRoot } from './testing/embeddedProcess';

// Forgetting in the embedded mode: the same crypto-shredding on SQLite (the log, the read model and the key store
// in one file). After a forget, no table of the file holds the forgotten user's name or address, in any form a
// query returns; the other user is intact.

const main = path.resolve(__dirname, 'main.ts');

/** Every row of every table of the SQLite file, as text (blobs as latin1), lower-cased. */
function everyRow(file: string): string {
  const db = openDatabase(file);
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
      name: string;
    }[];
    return tables
      .flatMap(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
      .map((row) =>
        Object.values(row)
          .map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)))
          .join('\u0000'),
      )
      .join('\n')
      .toLowerCase();
  } finally {
    db.close();
  }
}

describe('forgetting a user in the embedded mode', () => {
  const root = temporaryRoot();
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('leaves no personal data of the forgotten user in the SQLite file, the other intact', async () => {
    const key = randomName('key');
    system = await spawnService(main, {
      EVENTFOLD_DATA_DIR: path.join(root, 'data'),
      API_KEYS: `${key}=users:read+users:write+admin`,
      LOG_LEVEL: 'warn',
    });
    const call = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${system!.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const token = randomName('p').replace(/-/g, '');
    const forgotten = { name: `Gone${token}`, email: `gone${token}@example.com` };
    const kept = { name: `Kept${token}`, email: `kept${token}@example.com` };
    const a = await call('POST', '/v1/users', forgotten);
    const b = await call('POST', '/v1/users', kept);
    expect([a.status, b.status]).toEqual([201, 201]);
    const renamed = `Renamed${token}`;
    expect((await call('PUT', `/v1/users/${a.body.id}/name`, { name: renamed })).status).toBe(200);
    expect((await call('DELETE', `/v1/users/${a.body.id}/personal-data`, { reason: null })).status).toBe(200);
    expect((await call('DELETE', `/v1/users/${a.body.id}/personal-data`, { reason: null })).status).toBe(200);
    await waitFor(async () => (await call('GET', `/v1/users/${a.body.id}`)).body.version === 3, {
      description: 'the forget in the read model',
    });
    expect((await call('GET', `/v1/users/${a.body.id}`)).body).toMatchObject({
      name: '[erased]',
      email: '[erased]',
    });
    expect((await call('GET', `/v1/users/${a.body.id}?atVersion=1`)).body).toMatchObject({
      name: '[erased]',
    });
    await waitFor(async () => (await call('GET', `/v1/users/${b.body.id}`)).status === 200, {
      description: 'the kept user in the read model',
    });

    const rows = everyRow(path.join(root, 'data', 'eventfold.sqlite'));
    for (const value of [forgotten.name, forgotten.email, renamed])
      expect(rows).not.toContain(value.toLowerCase());
    expect(rows).toContain(kept.name.toLowerCase()); // the read model holds the kept user: the scan sees it
    expect(rows).toContain('ef1:'); // and the log holds ciphertexts
  });
});
