import fs from 'node:fs';
import path from 'node:path';
import { waitFor, type ServiceProcess } from '@eventfold/testing';
import { mailByMessageId, startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

const USERS = 25;

describe('embedded mode: kill -9 and restart', () => {
  const root = temporaryRoot();
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps everything written before, lets projections catch up, and sends no email twice', async () => {
    system = await startEmbeddedProcess(root);
    const key = fs.readFileSync(path.join(root, 'data', 'dev-api-key'), 'utf8').trim();
    const call = async (
      method: string,
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // Writes answered before the kill: each registration and rename got its 201/200, so its events are stored.
    const written = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const created = await call('POST', `${system!.url}/v1/users`, {
          name: `Crash ${i}`,
          email: `crash-${i}@example.com`,
        });
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        const renamed = await call(
          'PUT',
          `${system!.url}/v1/users/${id}/name`,
          { name: `Crash ${i} renamed` },
          {
            'If-Match': '"1"',
          },
        );
        expect(renamed.status).toBe(200);
        return { id, token: renamed.body.consistencyToken as string, name: `Crash ${i} renamed` };
      }),
    );
    await system.kill(); // kill -9 while the projector and the notifier are still catching up
    const mailBefore = [...mailByMessageId(root).values()].reduce((a, b) => a + b, 0);

    system = await startEmbeddedProcess(root);
    for (const { id, token, name } of written) {
      const read = await call('GET', `${system.url}/v1/users/${id}`, undefined, {
        'X-Consistency-Token': token,
      });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id, name, version: 2 });
    }
    // One welcome and one name-change email per user, each exactly once.
    await waitFor(async () => mailByMessageId(root).size === USERS * 2, {
      timeoutMs: 60_000,
      description: `${USERS * 2} distinct emails`,
    });
    const counts = mailByMessageId(root);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(mailBefore).toBeLessThanOrEqual(USERS * 2);
    // A write after the restart goes on from the stored state: version 3 of a user written before the kill.
    const again = await call(
      'PUT',
      `${system.url}/v1/users/${written[0]!.id}/name`,
      { name: 'After restart' },
      {
        'If-Match': '"2"',
      },
    );
    expect(again).toMatchObject({ status: 200, body: { version: 3 } });
  });
});
