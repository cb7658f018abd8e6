import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { legacyUserId } from '@eventfold/command-service';
import { freePort } from '@eventfold/testing';
import { startLegacyDatabase, type LegacyDatabase } from '../support/legacyUsers';
import {
  dropOwnKeyStore,
  newReadSideEnv,
  startCommand,
  startProjectorInProcess,
  startQuery,
} from '../support/readSide';

jest.setTimeout(300_000);

const repoRoot = path.resolve(__dirname, '..', '..');
const MARKER = '<!-- migration walkthrough:';

/** The README's migration walk-through: the first sh block after its marker, as written. */
function readmeWalkthrough(): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (at < 0 || !block) throw new Error('README.md has no migration walk-through block after its marker');
  return block;
}

/**
 * Issue 20's walk-through, as a user types it: an empty legacy PostgreSQL, its table and three users, the follower
 * started first, the import, the application writing on, verify until clean, the final verify, the follower stopped
 * and its slot dropped. Only the addresses differ: this file's own PostgreSQL and services, not the stack's ports.
 */
describe('the README migration walk-through', () => {
  const env = newReadSideEnv(4, { ownKeyStore: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-walkthrough-'));
  let legacy: LegacyDatabase;
  let command: Awaited<ReturnType<typeof startCommand>>;
  let projector: Awaited<ReturnType<typeof startProjectorInProcess>>;
  let query: Awaited<ReturnType<typeof startQuery>>;

  beforeAll(async () => {
    // The harness's own database holds nothing the walk-through uses: it creates `legacy` itself.
    [legacy, command, projector, query] = await Promise.all([
      startLegacyDatabase('harness'),
      startCommand(env),
      startProjectorInProcess(env),
      startQuery(env),
    ]);
  });
  afterAll(async () => {
    // A walk-through cut short leaves its follower running: it is this file's, found by its database's port.
    await promisify(execFile)('pkill', [
      '-f',
      `migrate follow --from postgres://eventfold@127.0.0.1:${legacy?.port}/`,
    ]).catch(() => undefined);
    await Promise.all([command?.stop(), projector?.stop(), query?.stop(), legacy?.stop()]);
    await dropOwnKeyStore(env);
    fs.rmSync(work, { recursive: true, force: true });
    expect([...(command?.fatal ?? []), ...(projector?.fatal ?? [])]).toEqual([]);
  });

  it('goes from an empty legacy database to a verified cut-over, exactly as written', async () => {
    const script = readmeWalkthrough().replaceAll('127.0.0.1:5432', `127.0.0.1:${legacy.port}`);
    expect(script).not.toContain(':5432');
    // Run from the clone's root (`pnpm eventfold`), the logs into a folder of the test's.
    const logs = script
      .replaceAll('> follow.log', `> ${work}/follow.log`)
      .replaceAll('verify.log', `${work}/verify.log`);
    const logOf = (name: string) => {
      const file = path.join(work, name);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(none)';
    };
    const run = promisify(execFile)('bash', ['-euo', 'pipefail', '-c', logs], {
      cwd: repoRoot,
      timeout: 150_000,
      env: {
        ...process.env,
        COMMAND_URL: command.url,
        QUERY_URL: query.url,
        MIGRATOR_PORT: String(await freePort()),
      },
    });
    const { stdout, stderr } = await run.catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(
        `${error.message}\nstdout:\n${error.stdout}\nstderr:\n${error.stderr}\n` +
          `follow.log:\n${logOf('follow.log')}\nverify.log:\n${logOf('verify.log')}`,
      );
    });
    const out = `${stdout}\n${stderr}`;
    // The import: two rows in, Alan's refused by legacy id with the reason, the exit code 2 reported.
    expect(out).toMatch(/imported 2\b/);
    expect(out).toMatch(/rejected: legacy id 3: \w+/);
    expect(out).toContain('import exit 2');
    // Verify, clean at the end, and the lag of a drained follower.
    expect(fs.readFileSync(path.join(work, 'verify.log'), 'utf8')).toMatch(
      /4 legacy rows, 3 found in eventfold, 1 the domain refuses[\s\S]*no differences/,
    );
    expect(out).toMatch(/eventfold_legacy\t\d+\t0\.0/);

    // What the read model holds is what the legacy table says, through the query service.
    const user = async (legacyId: number) => {
      const id = legacyUserId('users', String(legacyId));
      const answer = await fetch(`${query.url}/v1/users/${id}`);
      return answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : answer.status;
    };
    expect(await user(1)).toMatchObject({ name: 'Ada King', email: 'ada@example.com', status: 'active' });
    expect(await user(2)).toMatchObject({ name: 'Grace Hopper', status: 'deactivated' });
    expect(await user(4)).toMatchObject({ name: 'Edsger Dijkstra', email: 'edsger@example.com' });
    expect(await user(3)).toBe(404);
  });
});
