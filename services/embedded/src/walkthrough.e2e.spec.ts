import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor, type ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

const MARKER = '<!-- walkthrough:';

/** The README's walk-through: the first sh block after the walkthrough marker, as written. */
function readmeWalkthrough(): string {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf(MARKER));
  const block = /```sh\n([\s\S]*?)```/.exec(after)?.[1];
  if (readme.indexOf(MARKER) < 0 || !block)
    throw new Error('README.md has no walk-through block after its marker');
  return block;
}

describe('the README walk-through, on `pnpm start` (embedded mode)', () => {
  const root = temporaryRoot();
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('works exactly as written (only the port is a free one instead of 8080)', async () => {
    system = await startEmbeddedProcess(root);
    const script = readmeWalkthrough().replaceAll('localhost:8080', `localhost:${system.port}`);
    expect(script).not.toContain('8080');
    // Run from a folder that plays the clone's root: its data/ is the system's data folder.
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: root,
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    const json = (i: number) => JSON.parse(lines[i]!) as Record<string, unknown>;
    const id = json(0).id as string;
    expect(json(0)).toMatchObject({ version: 1, consistencyToken: expect.stringMatching(/^\d+:\d+$/) });
    expect(json(1)).toMatchObject({ id, version: 2 });
    expect(json(2)).toMatchObject({ id, name: 'Ada King', email: 'ada@example.com', version: 2 });
    expect((json(3).items as { type: string }[]).map((e) => e.type)).toEqual([
      'UserRegistered',
      'UserNameChanged',
    ]);
    expect(json(4)).toMatchObject({ id, name: 'Ada Byron', version: 1 });
    expect(json(5)).toMatchObject({ id, version: 3 });
    // The notifier sends on its own pace: `ls` shows what is there yet, and both emails arrive.
    lines.slice(6).forEach((name) => expect(name).toMatch(/\.(welcome|name-changed)@.*\.eml$/));
    const mailDir = path.join(root, 'data', 'mail');
    const names = await waitFor(() => {
      const all = fs.readdirSync(mailDir).filter((n) => n.endsWith('.eml'));
      return all.length >= 2 && all;
    });
    expect(names).toHaveLength(2);
    expect(names.some((name) => name.includes('.welcome@'))).toBe(true);
    expect(names.some((name) => name.includes('.name-changed@'))).toBe(true);
  });
});
