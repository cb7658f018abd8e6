import { spawn } from 'node:child_process';
import path from 'node:path';
import { eventfold } from '@eventfold/cli/testing';
import { legacyUserId } from '@eventfold/command-service';
import { checkStreams, countCommittedRecords, readStreamEventLog } from '@eventfold/command-service/testing';
import { testEndpoints, waitFor } from '@eventfold/testing';
import { LegacyWriter, legacyRows, startLegacyDatabase, type LegacyDatabase } from '../support/legacyUsers';
import {
  dropOwnKeyStore,
  newReadSideEnv,
  startCommand,
  startProjectorInProcess,
  startQuery,
  topicsOf,
} from '../support/readSide';

const repoRoot = path.resolve(__dirname, '..', '..');
const ROWS = process.env.EVENTFOLD_FAULTS === 'full' ? 10_000 : 300;
/** Patience in proportion to the rows: a ceiling, not a pace (about 10 rows/s at the least on a loaded machine). */
const patienceMs = Math.max(120_000, ROWS * 100);

jest.setTimeout(300_000 + 4 * patienceMs);

/**
 * Issue 20, phases 0 and 2 (docs/decisions/0020-importing-a-crud-table.md): a legacy `users` table in a PostgreSQL
 * of this test's own is imported through the command service, by a run killed with -9 half-way and started again;
 * every good row ends imported once, the bad ones are listed by legacy id; a second run writes nothing; verify
 * finds no difference until the legacy application changes a row that nobody imports.
 */
describe('eventfold migrate import and verify', () => {
  const env = newReadSideEnv(4, { ownKeyStore: true });
  const tag = env.prefix.slice(0, -1);
  let legacy: LegacyDatabase;
  let writer: LegacyWriter;
  let command: Awaited<ReturnType<typeof startCommand>>;
  let projector: Awaited<ReturnType<typeof startProjectorInProcess>>;
  let query: Awaited<ReturnType<typeof startQuery>>;
  const cli = (sub: 'import' | 'verify', ...argv: string[]) =>
    eventfold(
      {},
      'migrate',
      sub,
      '--from',
      legacy.url,
      ...(sub === 'import' ? ['--command-url', command.url] : ['--query-url', query.url]),
      ...argv,
    );
  const eventRecords = () => countCommittedRecords(topicsOf(env).events, env.partitions);

  beforeAll(async () => {
    [legacy, command, projector, query] = await Promise.all([
      startLegacyDatabase(),
      startCommand(env),
      startProjectorInProcess(env),
      startQuery(env),
    ]);
    writer = await LegacyWriter.open(legacy);
  });
  afterAll(async () => {
    await writer?.close();
    await Promise.all([command?.stop(), projector?.stop(), query?.stop(), legacy?.stop()]);
    await dropOwnKeyStore(env);
    expect([...(command?.fatal ?? []), ...(projector?.fatal ?? [])]).toEqual([]);
  });

  it('imports every good row once across a kill -9, lists the bad ones, writes nothing the second time, and verifies', async () => {
    const good = await writer.insert(legacyRows(ROWS, tag));
    const [invalidEmail, longName, controlChars, takenAddress] = await writer.insert([
      { name: 'No Address', email: 'not an address' },
      { name: 'x'.repeat(500), email: `long-${tag}@example.com` },
      { name: 'Bell\u0007Ringer', email: `bell-${tag}@example.com` },
      // The address of the first good row: one account per address (decision 0016).
      { name: 'Second Holder', email: `legacy-${tag}-0@example.com` },
    ]);
    const [soft] = await writer.insert([
      { name: 'Gone Away', email: `gone-${tag}@example.com`, status: 'deactivated' },
    ]);
    const importable = [...good, soft!];
    const refused = [invalidEmail!, longName!, controlChars!];

    // A dry run refuses the same rows, by legacy id, and writes nothing.
    const dry = await cli('import', '--dry-run');
    expect(dry.code).toBe(2);
    for (const id of [...refused, takenAddress!])
      expect(dry.lines.some((l) => l.startsWith(`  rejected: legacy id ${id}: `))).toBe(true);
    expect(dry.lines.at(-1)).toMatch(
      /^dry run, nothing written: would import \d+, already present 0, rejected 4/,
    );
    expect(await eventRecords()).toBe(0);

    // The first run, as a user runs it, killed with -9 once half the rows are through.
    const child = spawn(
      path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [
        'cli/src/main.ts',
        'migrate',
        'import',
        '--from',
        legacy.url,
        '--command-url',
        command.url,
        '--batch',
        '20',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    await waitFor(
      () => [...printed.matchAll(/^ {2}(\d+)\/\d+ rows/gm)].some((m) => Number(m[1]) >= (ROWS + 5) / 2),
      {
        timeoutMs: patienceMs,
        description: `the first run to get half-way (printed: ${printed.slice(-300)})`,
      },
    );
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(printed).not.toMatch(/^imported /m);

    // Started again: it resumes after the checkpoint and finishes.
    const resumed = await cli('import', '--batch', '100');
    expect(resumed.lines[0]).toMatch(/resuming after legacy id \d+/);
    expect(resumed.code).toBe(2);
    for (const id of [...refused, takenAddress!])
      expect(resumed.lines.some((l) => l.startsWith(`  rejected: legacy id ${id}: `))).toBe(true);
    const reasonOf = (id: string) => resumed.lines.find((l) => l.startsWith(`  rejected: legacy id ${id}: `));
    expect(reasonOf(invalidEmail!)).toContain('INVALID_EMAIL');
    expect(reasonOf(longName!)).toContain('INVALID_NAME');
    expect(reasonOf(controlChars!)).toContain('INVALID_NAME');

    // Every importable row is one user, imported once: one UserImported per stream, at version 1.
    const log = await readStreamEventLog(topicsOf(env), env.partitions, testEndpoints(), env.keyStoreDb);
    expect(checkStreams(log).problems).toEqual([]);
    const imports = log.filter(({ event }) => event.type === 'UserImported');
    const streams = imports.map(({ event }) => event.metadata.streamId).sort();
    expect(streams).toEqual(importable.map((id) => `user-${legacyUserId('users', id)}`).sort());
    expect(new Set(streams).size).toBe(streams.length);
    expect(imports.every(({ event }) => event.metadata.version === 1)).toBe(true);

    // A second run from the first row writes nothing: every command is answered from the idempotency windows.
    const written = await eventRecords();
    const second = await cli('import', '--restart');
    expect(second.code).toBe(2);
    expect(second.lines.at(-1)).toMatch(
      new RegExp(`^imported 0, already present ${importable.length}, rejected 4 `),
    );
    expect(await eventRecords()).toBe(written);

    // Verify: no difference once the read model has caught up.
    await waitFor(async () => (await cli('verify')).lines.at(-1)!.startsWith('no differences'), {
      timeoutMs: patienceMs,
      description: 'migrate verify to find no difference',
    });
    const clean = await cli('verify');
    expect(clean.lines[0]).toBe(
      `migrate verify: ${ROWS + 5} legacy rows, ${ROWS + 1} found in eventfold, 4 the domain refuses (see migrate import)`,
    );

    // The legacy application changes a row, and nobody imports the change: verify says so, and fails.
    await writer.rename(good[7]!, 'Renamed Behind Our Back');
    const stale = await cli('verify');
    expect(stale.code).toBe(1);
    expect(stale.lines).toContain(
      `  legacy id ${good[7]}: name differs (user ${legacyUserId('users', good[7]!)}): legacy "Renamed Behind Our Back", eventfold "Legacy User 7"`,
    );
  });
});
