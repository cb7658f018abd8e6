import { LegacyWriter, legacyRows, startLegacyDatabase, type LegacyDatabase } from '@eventfold/system-tests';
import { waitFor } from '@eventfold/testing';
import type pg from 'pg';
import { TreeCpuMeter } from '../peers/processTreeCpu';
import type { CpuFigure } from '../report/figures';
import { summarise } from '../report/percentiles';
import { formatNumber } from '../report/table';
import { modesOfRound, type CaptureBlock, type CaptureMode } from './captureFigures';
import { postmasterPid, slotRetainedBytes, tableBytes, walBytesSince, walPosition } from './captureServer';
import type { CaptureReader } from './capturedChanges';
import { LegacyIds, runLegacyWorkload } from './legacyWorkload';
import { installOutbox, removeOutbox, startOutboxPoller, type OutboxPolling } from './outboxCapture';
import { dropPgoutput, preparePgoutput, startPgoutputReader, type PgoutputNames } from './pgoutputReader';

export interface CapturePlan {
  /** Rounds of one block per mode, the order reversed every other round. */
  readonly rounds: number;
  readonly seconds: number;
  /** The writer alone before the first block: caches, the table's first pages. */
  readonly warmUpSeconds: number;
  /** The legacy application's connections, each a closed loop of single-row transactions. */
  readonly connections: number;
  /** Rows in `users` before the run, which updates pick from. */
  readonly seedRows: number;
  readonly polling: OutboxPolling;
  /** How long after a block its reader may take to receive the block's changes. */
  readonly drainTimeoutMs: number;
}

export interface CaptureRun {
  readonly blocks: CaptureBlock[];
  readonly cpu: Record<string, CpuFigure[]>;
  readonly postgresVersion: string;
}

const NAMES: PgoutputNames = { table: 'users', publication: 'capture_bench', slot: 'capture_bench' };

interface Bench {
  readonly db: LegacyDatabase;
  readonly admin: pg.Client;
  readonly writers: readonly LegacyWriter[];
  readonly ids: LegacyIds;
  readonly postgresPid: number;
}

async function startReader(
  bench: Bench,
  mode: CaptureMode,
  plan: CapturePlan,
): Promise<CaptureReader | null> {
  switch (mode) {
    case 'baseline':
      return null;
    case 'pgoutput':
      await preparePgoutput(bench.admin, NAMES);
      return startPgoutputReader({ connectionString: bench.db.url }, NAMES);
    case 'outbox':
      await installOutbox(bench.admin);
      return startOutboxPoller({ connectionString: bench.db.url }, plan.polling);
  }
}

async function retainedBytes(bench: Bench, mode: CaptureMode): Promise<number> {
  if (mode === 'pgoutput') return slotRetainedBytes(bench.admin, NAMES.slot);
  if (mode === 'outbox') return tableBytes(bench.admin, 'users_outbox');
  return 0;
}

async function removeCapture(bench: Bench, mode: CaptureMode): Promise<void> {
  if (mode === 'pgoutput')
    // The walsender of the stopped reader takes a moment to let the slot go.
    await waitFor(() => dropPgoutput(bench.admin, NAMES).then(() => true), {
      timeoutMs: 10_000,
      description: 'the slot to be dropped',
    });
  if (mode === 'outbox') {
    await removeOutbox(bench.admin);
    await bench.admin.query('TRUNCATE users_outbox');
  }
}

async function measureBlock(
  bench: Bench,
  mode: CaptureMode,
  round: number,
  plan: CapturePlan,
  run: CaptureRun,
): Promise<CaptureBlock> {
  // Each block starts after a checkpoint, so that full-page images weigh the same in every block's WAL.
  await bench.admin.query('CHECKPOINT');
  const reader = await startReader(bench, mode, plan);
  try {
    const from = await walPosition(bench.admin);
    const meter = new TreeCpuMeter([
      { name: 'bench (writer and reader)', root: 'self' },
      { name: 'postgres', root: bench.postgresPid },
    ]).start();
    const load = await runLegacyWorkload(bench.writers, bench.ids, plan.seconds);
    run.cpu[`${mode}, round ${round + 1}`] = meter.stop();
    let missing = 0;
    if (reader)
      await waitFor(() => reader.changes.received >= load.writes, {
        timeoutMs: plan.drainTimeoutMs,
        intervalMs: 20,
      }).catch(() => {
        missing = load.writes - reader.changes.received;
      });
    await reader?.stop();
    return {
      mode,
      round,
      writes: load.writes,
      failed: load.failed,
      seconds: load.seconds,
      writeLatenciesMs: load.latenciesMs,
      lagsMs: reader?.changes.lagsMs ?? [],
      missing,
      walBytes: await walBytesSince(bench.admin, from),
      retainedBytes: await retainedBytes(bench, mode),
    };
  } finally {
    await reader?.stop().catch(() => undefined); // after a failure; stopped already otherwise
    await removeCapture(bench, mode);
  }
}

/**
 * The legacy writer of issue 20 on a PostgreSQL of the run's own (tests/support/legacyUsers.ts: packages/infra's
 * server, `wal_level=logical`, deleted afterwards), in rounds of three blocks: alone, with its changes read through
 * a `pgoutput` slot, and with a trigger-filled outbox polled. Each block sets its capture up first and removes it
 * after its changes are read, so the next block runs without it.
 */
export async function runCapture(plan: CapturePlan, say: (line: string) => void): Promise<CaptureRun> {
  const db = await startLegacyDatabase('capture');
  try {
    const admin = await db.connect();
    const writers: LegacyWriter[] = [];
    try {
      for (let i = 0; i < plan.connections; i += 1) writers.push(await LegacyWriter.open(db));
      const seeded = await writers[0]!.insert(legacyRows(plan.seedRows, 'capture'));
      writers[0]!.changes.length = 0;
      const bench: Bench = {
        db,
        admin,
        writers,
        ids: new LegacyIds(seeded),
        postgresPid: await postmasterPid(admin),
      };
      const version = (await admin.query<{ version: string }>('SELECT version()')).rows[0]!.version;
      const run: CaptureRun = { blocks: [], cpu: {}, postgresVersion: version };
      await runLegacyWorkload(writers, bench.ids, plan.warmUpSeconds);
      for (let round = 0; round < plan.rounds; round += 1)
        for (const mode of modesOfRound(round)) {
          const block = await measureBlock(bench, mode, round, plan, run);
          run.blocks.push(block);
          say(`  round ${round + 1}, ${mode}: ${describeBlock(block)}`);
        }
      return run;
    } finally {
      for (const writer of writers) await writer.close();
      await admin.end();
    }
  } finally {
    await db.stop();
  }
}

function describeBlock(block: CaptureBlock): string {
  const rate = formatNumber(block.writes / block.seconds);
  const lag = summarise(block.lagsMs);
  const lags = lag.count > 0 ? `, lag p50 ${formatNumber(lag.p50)} ms, p99 ${formatNumber(lag.p99)} ms` : '';
  return `${rate} writes/s, ${formatNumber(block.walBytes / block.writes)} WAL B/write, ${block.failed} failed, ${block.missing} missing${lags}`;
}
