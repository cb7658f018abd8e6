// The embedded mode on a machine with other users: its files are its owner's alone, and its internal services,
// listening on the loopback where any local user reaches them, answer only the gateway.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, waitFor, type ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('embedded mode: owner only', () => {
  const roots: string[] = [];
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers the internal services only with its per-process token, and keeps every file from other users', async () => {
    const root = temporaryRoot();
    roots.push(root);
    const [commandPort, queryPort] = [await freePort(), await freePort()];
    system = await startEmbeddedProcess(root, {
      env: { COMMAND_PORT: String(commandPort), QUERY_PORT: String(queryPort) },
    });
    const dataDir = path.join(root, 'data');
    const key = fs.readFileSync(path.join(dataDir, 'dev-api-key'), 'utf8').trim();

    // Through the gateway, with the key: registered, and the welcome mail written.
    const registered = await fetch(`${system.url}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com' }),
    });
    expect(registered.status).toBe(201);
    const { id } = (await registered.json()) as { id: string };

    // Straight to the command and query services, as another local user would: refused, the probes aside.
    const direct = [
      await fetch(`http://127.0.0.1:${commandPort}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-eventfold-actor': 'key:anyone' },
        body: JSON.stringify({ name: 'Mallory', email: 'mallory@example.com' }),
      }),
      await fetch(`http://127.0.0.1:${commandPort}/v1/users/${id}/personal-data`, { method: 'DELETE' }),
      await fetch(`http://127.0.0.1:${queryPort}/v1/users/${id}`),
      await fetch(`http://127.0.0.1:${queryPort}/v1/users/${id}/events`, {
        headers: { 'x-eventfold-internal-token': 'guessed' },
      }),
    ];
    for (const response of direct) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: 'INTERNAL_ONLY' });
    }
    expect((await fetch(`http://127.0.0.1:${commandPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${queryPort}/readyz`)).status).toBe(200);
    // Nothing of that reached the log: the user is as registered, and still has a name.
    const user = await waitFor(async () => {
      const r = await fetch(`${system!.url}/v1/users/${id}`, { headers: { authorization: `Bearer ${key}` } });
      return r.status === 200 && ((await r.json()) as { name: string; version: number });
    });
    expect(user).toMatchObject({ name: 'Ada Lovelace', version: 1 });

    const mailDir = path.join(dataDir, 'mail');
    const mails = await waitFor(() => {
      const names = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((n) => n.endsWith('.eml')) : [];
      return names.length > 0 && names;
    });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(mailDir)).toBe(0o700);
    const files = [
      ...['dev-api-key', 'dev-master-key', 'api-key-id-secret'].map((name) => path.join(dataDir, name)),
      ...fs
        .readdirSync(dataDir)
        .filter((name) => name.startsWith('eventfold.sqlite'))
        .map((name) => path.join(dataDir, name)),
      ...mails.map((name) => path.join(mailDir, name)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files.map((file) => [path.basename(file), modeOf(file)])).toEqual(
      files.map((file) => [path.basename(file), 0o600]),
    );
  });

  it('refuses to start with a key file that other users may read, and says how to fix it', async () => {
    const root = temporaryRoot();
    roots.push(root);
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const keyFile = path.join(dataDir, 'dev-api-key');
    fs.writeFileSync(keyFile, 'dev-a-key-someone-else-may-have-read', { mode: 0o644 });
    fs.chmodSync(keyFile, 0o644);
    const refused = await startEmbeddedProcess(root, { waitReady: false });
    expect(await refused.exited).not.toBe(0);
    expect(fs.readFileSync(refused.logFile, 'utf8')).toContain(
      `${keyFile} holds a secret but other users may read it (mode 0644): run chmod 600 ${keyFile}`,
    );
  });
});
