import { userTopicNames } from '@eventfold/avro';
import { legacyUserId } from '@eventfold/command-service';
import { readEventLog, spawnCommandProcess, type CommandProcess } from '@eventfold/command-service/testing';
import { eventfold } from '@eventfold/cli/testing';
import { sleep } from '@eventfold/core';
import { waitFor, type ServiceProcess } from '@eventfold/testing';
import { userIdOfStream } from '@eventfold/users-domain';
import type pg from 'pg';
import { faultScale } from '../support/faultScale';
import {
  LegacyWriter,
  startLegacyDatabase,
  type LegacyChange,
  type LegacyDatabase,
} from '../support/legacyUsers';
import { commandsSettledBy, slotCaughtUp, spawnMigrator } from '../support/migrator';
import {
  dropOwnKeyStore,
  newReadSideEnv,
  serviceEnv,
  startProjectorInProcess,
  startQuery,
} from '../support/readSide';

// Issue 20, phase 1's acceptance: while the legacy application keeps writing to its users table, the migrator
// (docs/decisions/0021-change-capture-from-the-legacy-log.md) is killed with -9 three times; afterwards the log
// holds each committed change exactly once, in commit order per row (counted from the legacy writer's own record),
// and the read model, through the query service, equals the legacy table.

jest.setTimeout(600_000);

const full = faultScale() > 1;
const CHANGES = full ? 2000 : 300;
const KILLS = 3;
const SLOT = 'eventfold_legacy';

const eventTypeOf: Readonly<Record<LegacyChange['kind'], string>> = {
  insert: 'UserImported',
  rename: 'UserNameChanged',
  changeEmail: 'UserEmailChanged',
  deactivate: 'UserDeactivated',
  reactivate: 'UserReactivated',
};

/** A small seeded generator: the same run makes the same changes. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** The legacy application at work: `count` changes of every kind, only ones the domain accepts, paced a little. */
async function legacyWork(writer: LegacyWriter, count: number, tag: string): Promise<void> {
  const random = seeded(20);
  const status = new Map<string, 'active' | 'deactivated'>();
  const pick = (wanted: 'active' | 'deactivated') => {
    const ids = [...status].filter(([, s]) => s === wanted).map(([id]) => id);
    return ids.length === 0 ? null : ids[Math.floor(random() * ids.length)]!;
  };
  let n = 0;
  const row = () => ({ name: `Legacy ${n}`, email: `follow-${tag}-${n++}@example.com` });
  // A first batch in one transaction (one of them born deactivated), then one change per transaction.
  const first = await writer.insert([row(), row(), row(), { ...row(), status: 'deactivated' }, row()]);
  first.forEach((id, i) => status.set(id, i === 3 ? 'deactivated' : 'active'));
  while (writer.changes.length < count) {
    const dice = random();
    const active = pick('active');
    const deactivated = pick('deactivated');
    if (dice < 0.15 || active === null) {
      const [id] = await writer.insert([row()]);
      status.set(id!, 'active');
    } else if (dice < 0.5) await writer.rename(active, `Renamed ${n++}`);
    else if (dice < 0.75) await writer.changeEmail(active, `moved-${tag}-${n++}@example.com`);
    else if (dice < 0.87 || deactivated === null) {
      await writer.deactivate(active);
      status.set(active, 'deactivated');
    } else {
      await writer.reactivate(deactivated);
      status.set(deactivated, 'active');
    }
    if (writer.changes.length % 5 === 0) await sleep(20);
  }
}

describe('migrate follow killed with -9 while the legacy application writes', () => {
  const env = newReadSideEnv(4, { ownKeyStore: true });
  const tag = env.prefix.replace(/[^a-z0-9]/gi, '');
  let legacy: LegacyDatabase | undefined;
  let command: CommandProcess | undefined;
  let migrator: ServiceProcess | undefined;
  let writer: LegacyWriter | undefined;
  let db: pg.Client | undefined;

  beforeAll(async () => {
    [legacy, command] = await Promise.all([
      startLegacyDatabase('legacy_follow'),
      spawnCommandProcess(env.prefix, serviceEnv(env)),
    ]);
    db = await legacy.connect();
    writer = await LegacyWriter.open(legacy);
  });

  afterAll(async () => {
    await migrator?.kill();
    await writer?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await command?.kill();
    await legacy?.stop();
    await dropOwnKeyStore(env);
  });

  it('writes each committed change once, in commit order per row, and the read model equals the table', async () => {
    const lives: ServiceProcess[] = [];
    migrator = await spawnMigrator(legacy!.url, command!.url);
    const followStarted = Date.now();
    lives.push(migrator);
    const working = legacyWork(writer!, CHANGES, tag);
    // Each life is killed once it has settled a share of the work (or after a while on a starved machine).
    for (let kill = 0; kill < KILLS; kill++) {
      const life = migrator;
      const started = Date.now();
      await waitFor(
        async () =>
          ((await commandsSettledBy(life)) ?? 0) >= CHANGES / (KILLS + 2) || Date.now() - started > 20_000,
        {
          timeoutMs: 120_000,
          description: `life ${kill + 1} of the migrator to settle some changes (log: ${life.logFile})`,
        },
      );
      await life.kill();
      migrator = await spawnMigrator(legacy!.url, command!.url);
      lives.push(migrator);
    }
    await working;
    const writerDone = Date.now();
    const end = (await db!.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    await waitFor(() => slotCaughtUp(db!, SLOT, end), {
      timeoutMs: 300_000,
      intervalMs: 500,
      description: `the migrator to acknowledge ${end} (log: ${migrator.logFile})`,
    });
    const caughtUp = Date.now();
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

    const rejected = await db!.query('SELECT key, code, reason FROM eventfold_migration_rejected');
    expect(rejected.rows).toEqual([]);

    // The log: per legacy row, exactly the writer's changes, once each and in its order.
    const table = await db!.query<{ id: string; name: string; email: string; status: string }>(
      'SELECT id::text, name, email, status FROM users ORDER BY id',
    );
    const userIdOf = new Map(table.rows.map((r) => [r.id, legacyUserId('users', r.id)]));
    const legacyIdOf = new Map([...userIdOf].map(([legacyId, userId]) => [userId, legacyId]));
    const log = await readEventLog(userTopicNames(env.prefix), env.partitions, undefined, env.keyStoreDb);
    const written = new Map<string, string[]>();
    for (const { event } of [...log].sort((a, b) => a.event.metadata.version - b.event.metadata.version)) {
      const legacyId =
        legacyIdOf.get(userIdOfStream(event.metadata.streamId) ?? '') ?? event.metadata.streamId;
      written.set(legacyId, [...(written.get(legacyId) ?? []), event.type]);
    }
    const expected = new Map<string, string[]>();
    for (const change of writer!.changes)
      expected.set(change.id, [...(expected.get(change.id) ?? []), eventTypeOf[change.kind]]);
    expect(log).toHaveLength(writer!.changes.length);
    expect(Object.fromEntries(written)).toEqual(Object.fromEntries(expected));
    expect(lives).toHaveLength(KILLS + 1);

    // The read model, through the query service: `eventfold migrate verify` (phase 0) finds no difference, and
    // `migrate rejected` lists nothing.
    const projector = await startProjectorInProcess(env);
    const query = await startQuery(env);
    try {
      let verify = await eventfold({}, 'migrate', 'verify', '--from', legacy!.url, '--query-url', query.url);
      await waitFor(
        async () => {
          verify = await eventfold({}, 'migrate', 'verify', '--from', legacy!.url, '--query-url', query.url);
          return verify.code === 0;
        },
        { timeoutMs: 120_000, intervalMs: 1000, description: 'migrate verify to find no difference' },
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}:\n${[...verify.lines, ...verify.errors].join('\n')}`);
      });
      const rejectedList = await eventfold({}, 'migrate', 'rejected', '--from', legacy!.url);
      expect(rejectedList.lines).toEqual(['no legacy change was refused']);
      // Figures for the README: the pace of one follower through three restarts.
      console.log(
        `migrate follow kill -9: ${writer!.changes.length} legacy changes, ${log.length} events, ${lives.length - 1} kills; caught up ${seconds(caughtUp - writerDone)} after the writer's last change; ${(writer!.changes.length / ((caughtUp - followStarted) / 1000)).toFixed(0)} changes/s overall, restarts included`,
      );
    } finally {
      await query.stop();
      await projector.stop();
    }
  });
});
