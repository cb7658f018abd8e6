import { eventfold } from '@eventfold/cli/testing';
import { readMigratorConfig, startMigratorService } from '@eventfold/migrator-service';
import { createLogger } from '@eventfold/observability';
import { waitFor } from '@eventfold/testing';
import type pg from 'pg';
import { LegacyWriter, startLegacyDatabase, type LegacyDatabase } from '../support/legacyUsers';
import { slotCaughtUp } from '../support/migrator';
import { dropOwnKeyStore, newReadSideEnv, startCommand } from '../support/readSide';

// Issue 20, phase 1: a change the domain refuses (an invalid address, a name of 500 characters, control characters)
// goes to the migration's dead-letter list with its legacy id and reason, and the follower goes on; `eventfold lag
// --from` reads how far it is behind.

describe('migrate follow with changes the domain refuses', () => {
  const env = newReadSideEnv(2, { ownKeyStore: true });
  let legacy: LegacyDatabase | undefined;
  let command: Awaited<ReturnType<typeof startCommand>> | undefined;
  let migrator: Awaited<ReturnType<typeof startMigratorService>> | undefined;
  let writer: LegacyWriter | undefined;
  let db: pg.Client | undefined;
  const fatal: unknown[] = [];

  beforeAll(async () => {
    [legacy, command] = await Promise.all([startLegacyDatabase('legacy_rejected'), startCommand(env)]);
    db = await legacy.connect();
    writer = await LegacyWriter.open(legacy);
    const config = readMigratorConfig({
      LEGACY_DATABASE_URL: legacy.url,
      COMMAND_URL: command.url,
      PORT: '0',
      MIGRATION_STATUS_INTERVAL_MS: '200',
    });
    migrator = await startMigratorService(config, {
      logger: createLogger('migrator', 'silent'),
      clock: Date.now,
      onFatal: (error: unknown) => fatal.push(error),
    });
    await migrator.started;
  });

  afterAll(async () => {
    await migrator?.stop();
    await writer?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await command?.stop();
    await legacy?.stop();
    await dropOwnKeyStore(env);
  });

  it('lists each refused change with its legacy id and reason, and carries the rest', async () => {
    const tag = env.prefix.replace(/[^a-z0-9]/gi, '');
    const [good, badEmail, longName, control] = await writer!.insert([
      { name: 'Good Row', email: `good-${tag}@example.com` },
      { name: 'Bad Address', email: 'not an address' },
      { name: 'x'.repeat(500), email: `long-${tag}@example.com` },
      { name: 'Bell\u0007Row', email: `bell-${tag}@example.com` },
    ]);
    await writer!.rename(good!, 'y'.repeat(500));
    await writer!.rename(good!, 'Good Row Renamed');
    await writer!.rename(badEmail!, 'Still Refused'); // its user was never imported

    const end = (await db!.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    await waitFor(() => slotCaughtUp(db!, 'eventfold_legacy', end), {
      timeoutMs: 60_000,
      description: `the migrator to acknowledge ${end}`,
    });
    expect(fatal).toEqual([]);

    const listed = await eventfold({}, 'migrate', 'rejected', '--from', legacy!.url);
    expect(listed.code).toBe(0);
    const refusedIds = listed.lines.slice(1, -1).map((line) => line.split('\t')[0]);
    expect(refusedIds.sort()).toEqual([badEmail, longName, control, good, badEmail].sort());
    expect(listed.lines.at(-1)).toBe('5 refused');

    // The good row's import and its acceptable rename went through: two commands applied, five refused.
    const metrics = await (await fetch(`${migrator!.url}/metrics`)).text();
    expect(metrics).toMatch(/^eventfold_migration_commands_total{outcome="applied"[^}]*} 2$/m);
    expect(metrics).toMatch(/^eventfold_migration_commands_total{outcome="rejected"[^}]*} 5$/m);
    const lag = await eventfold({}, 'lag', '--from', legacy!.url, '--migrator-url', migrator!.url);
    expect(lag.code).toBe(0);
    expect(lag.lines[1]).toMatch(/^eventfold_legacy\t\d+\t0\.0$/);
  });
});
