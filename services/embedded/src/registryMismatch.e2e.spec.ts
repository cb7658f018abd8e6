import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@eventfold/embedded';
import type { ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

/**
 * The start-up check of issue 25 on the whole process: records written with one set of schema ids, then a registry
 * whose ids say otherwise (two of them swapped, as a registry that lost its storage hands them out anew in another
 * order), must stop the system with a message that says the registry lost its state, instead of decoding one
 * event type as another.
 */
describe('embedded mode: a schema registry whose ids no longer match the log', () => {
  const root = temporaryRoot();
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start, saying that the registry lost the ids the log was written with', async () => {
    system = await startEmbeddedProcess(root);
    const key = fs.readFileSync(path.join(root, 'data', 'dev-api-key'), 'utf8').trim();
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    for (let i = 0; i < 8; i++) {
      const created = await fetch(`${system.url}/v1/users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: `Swap ${i}`, email: `swap-${i}@example.com` }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const renamed = await fetch(`${system.url}/v1/users/${id}/name`, {
        method: 'PUT',
        headers: { ...headers, 'if-match': '"1"' },
        body: JSON.stringify({ name: `Swap ${i} renamed` }),
      });
      expect(renamed.status).toBe(200);
    }
    await system.kill();

    const db = openDatabase(path.join(root, 'data', 'eventfold.sqlite'));
    const idOf = (record: string) =>
      (
        db
          .prepare('SELECT MAX(id) AS id FROM schemas WHERE subject = ?')
          .get(`users.events-eventfold.users.${record}`) as { id: number }
      ).id;
    const [registered, renamed] = [idOf('UserRegistered'), idOf('UserNameChanged')];
    db.transaction(() => {
      db.prepare('UPDATE schemas SET id = -1 WHERE id = ?').run(registered);
      db.prepare('UPDATE schemas SET id = ? WHERE id = ?').run(registered, renamed);
      db.prepare('UPDATE schemas SET id = ? WHERE id = -1').run(renamed);
    })();
    db.close();

    system = await startEmbeddedProcess(root, { waitReady: false });
    const code = await Promise.race([
      system.exited,
      new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 60_000)),
    ]);
    const log = fs.readFileSync(system.logFile, 'utf8');
    expect(code).not.toBe('running');
    expect(code).not.toBe(0);
    expect(log).toContain('SCHEMA_REGISTRY_MISMATCH');
    expect(log).toMatch(
      /The schema registry has lost the ids this log was written with: \d+ of the last \d+ records of users\.events/,
    );
  });
});
