import fs from 'node:fs';
import path from 'node:path';
import { randomName, scanFiles, spawnService, waitFor, type ServiceProcess } from '@eventfold/testing';
import { userStreamId } from '@eventfold/users-domain';
import { mailByMessageId, temporaryRoot } from './testing/embeddedProcess';
import { everyRow, tracesIn, wrappedKeyOf } from './testing/forgottenTraces';

// Forgetting in the embedded mode: the same crypto-shredding on SQLite (the log, the read model, the notifier's
// recipients and the key store in one file). After a forget, no table of the file holds the forgotten user's name
// or address, in any form a query returns; and neither does any byte of any file in the data folder: free space in
// the database's pages, the WAL (`-wal`) with its earlier page images, the `-shm` index, nor the wrapped data key
// (the development master key lies in the same folder, so a leftover wrapped key would decrypt the log). The files
// are read while the system runs, which has to truncate the WAL itself; then again after a clean stop (SIGTERM).
// Delivered mail (`data/mail/*.eml`) is outside: those messages went to the user, as SMTP hands them to a relay
// that the Kafka-mode acceptance test does not scan either; issue 10 asks the notifier to drop the address it keeps.

const main = path.resolve(__dirname, 'main.ts');

describe('forgetting a user in the embedded mode', () => {
  const root = temporaryRoot();
  const dataDir = path.join(root, 'data');
  const database = path.join(dataDir, 'eventfold.sqlite');
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('leaves no personal data of the forgotten user in any file of the data folder, the other intact', async () => {
    const key = randomName('key');
    system = await spawnService(main, {
      EVENTFOLD_DATA_DIR: dataDir,
      API_KEYS: `${key}=users:read+users:write+admin`,
      LOG_LEVEL: 'debug',
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
    const readdressed = `moved${token}@example.org`;
    expect((await call('PUT', `/v1/users/${String(a.body.id)}/name`, { name: renamed })).status).toBe(200);
    expect((await call('PUT', `/v1/users/${String(a.body.id)}/email`, { email: readdressed })).status).toBe(
      200,
    );
    const values = [forgotten.name, forgotten.email, renamed, readdressed];
    // Everything has reached the read model and the notifier's recipients (the mails of all four events are out):
    // the personal data is in the files now, and the scan sees it there.
    await waitFor(async () => (await call('GET', `/v1/users/${String(a.body.id)}`)).body.version === 3, {
      description: 'the address change in the read model',
    });
    await waitFor(() => mailByMessageId(root).size === 5, {
      description: 'four emails to one user, one to the other',
    });
    const wrappedKey = wrappedKeyOf(database, userStreamId(a.body.id as string));
    const before = tracesIn(dataDir, values, wrappedKey).map((hit) => hit.value);
    expect(before).toEqual(expect.arrayContaining([...values, 'the wrapped data key']));

    expect(
      (await call('DELETE', `/v1/users/${String(a.body.id)}/personal-data`, { reason: null })).status,
    ).toBe(200);
    expect(
      (await call('DELETE', `/v1/users/${String(a.body.id)}/personal-data`, { reason: null })).status,
    ).toBe(200);
    await waitFor(async () => (await call('GET', `/v1/users/${String(a.body.id)}`)).body.version === 4, {
      description: 'the forget in the read model',
    });
    expect((await call('GET', `/v1/users/${String(a.body.id)}`)).body).toMatchObject({
      name: '[erased]',
      email: '[erased]',
    });
    expect((await call('GET', `/v1/users/${String(a.body.id)}?atVersion=1`)).body).toMatchObject({
      name: '[erased]',
    });
    await waitFor(async () => (await call('GET', `/v1/users/${String(b.body.id)}`)).status === 200, {
      description: 'the kept user in the read model',
    });

    const rows = everyRow(database);
    for (const value of values) expect(rows).not.toContain(value.toLowerCase());
    expect(rows).toContain(kept.name.toLowerCase()); // the read model holds the kept user: the scan sees it
    expect(rows).toContain('ef1:'); // and the log holds ciphertexts

    // The raw files, while the system runs: the command service, the projector and the notifier each erase on
    // their own pace after the forget, so the scan is repeated until it comes out clean, within a deadline.
    // Without the WAL truncation it never does: the WAL keeps every value and the wrapped key.
    let traces = tracesIn(dataDir, values, wrappedKey);
    await waitFor(() => (traces = tracesIn(dataDir, values, wrappedKey)).length === 0, {
      timeoutMs: 15_000,
      description: 'no trace of the forgotten user in the data folder',
    }).catch(() => undefined);
    expect(traces).toEqual([]);
    expect(tracesIn(dataDir, [kept.name])).not.toEqual([]); // the kept user's name: the scan sees it
    // The service's own log (debug level): nobody's personal data, forgotten or not.
    expect(scanFiles([system.logFile], [...values, kept.name, kept.email]).hits).toEqual([]);

    // After a clean stop (the WAL checkpointed into the database file and removed).
    system.child.kill('SIGTERM');
    expect(await system.exited).toBe(0);
    expect(tracesIn(dataDir, values, wrappedKey)).toEqual([]);
    expect(fs.existsSync(`${database}-wal`)).toBe(false);
    expect(tracesIn(dataDir, [kept.name])).not.toEqual([]);
  });
});
