import { retry } from '@eventfold/core';
import { normaliseEmail, normaliseName } from '@eventfold/users-domain';
import {
  allLegacyRows,
  connectLegacy,
  countLegacyRows,
  legacyTableName,
  type LegacyUserRow,
} from './migrateImportLegacyRows';
import { importCheckpoint } from './migrateImportCheckpoint';
import { CliError, type Output } from './output';

export interface MigrateImportOptions {
  /** `postgres://…` of the legacy database. */
  readonly from: string;
  readonly table: string;
  readonly batch: number;
  /** Imports in flight at once. */
  readonly concurrency: number;
  /** The command service's base URL (`COMMAND_URL`). */
  readonly commandUrl: string;
  readonly internalToken?: string;
  /** Check every row with the domain's rules, write nothing (not even the checkpoint). */
  readonly dryRun: boolean;
  /** Start from the first row, whatever the checkpoint says. */
  readonly restart: boolean;
  readonly clock?: () => number;
}

/** A row the domain refused: by legacy id, with the reason (never the row's name or address). */
export interface RejectedRow {
  readonly legacyId: string;
  readonly code: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly rows: number;
  readonly imported: number;
  readonly alreadyPresent: number;
  readonly rejected: readonly RejectedRow[];
  readonly seconds: number;
}

type RowOutcome = { readonly kind: 'imported' | 'present' } | ({ readonly kind: 'rejected' } & RejectedRow);

/** Rows to import, after the checkpoint, at this pace: the progress line. */
function progressLine(done: number, total: number, started: number, now: number): string {
  const seconds = Math.max((now - started) / 1000, 0.001);
  const rate = done / seconds;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : NaN;
  return `  ${done}/${total} rows, ${rate.toFixed(0)} rows/s, ${Number.isFinite(left) ? `about ${left} s left` : 'time left unknown'}`;
}

/** What the domain says of a row without its stream's state: its name and address rules (dry run). */
function checkRow(row: LegacyUserRow, held: Map<string, string>): RowOutcome {
  try {
    normaliseName(row.name ?? '');
    const email = normaliseEmail(row.email ?? '');
    const holder = held.get(email);
    if (holder !== undefined)
      return {
        kind: 'rejected',
        legacyId: row.id,
        code: 'EMAIL_TAKEN',
        reason: `The address is the one of legacy row ${holder} (one account per address)`,
      };
    held.set(email, row.id);
    return { kind: 'imported' };
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { kind: 'rejected', legacyId: row.id, code: e.code ?? 'INVALID', reason: e.message };
  }
}

/** An answer worth asking again: not decided in time (202), or the service busy or away. */
class NotSettled extends Error {}

/** How patiently one row is asked again: about a minute, then the run stops and a rerun resumes it. */
const ROW_RETRY = Object.freeze({ initialDelayMs: 200, maxDelayMs: 2_000, jitter: 0.5, deadlineMs: 60_000 });

/**
 * One row onto the command path (`POST /v1/user-imports`). A pending or busy answer, or no answer, is asked again
 * with the same command (its id follows from the row), which is answered once decided and never written twice.
 */
async function importRow(options: MigrateImportOptions, row: LegacyUserRow): Promise<RowOutcome> {
  const body = JSON.stringify({
    name: row.name,
    email: row.email,
    deactivated: row.status === 'deactivated',
    source: { table: options.table, legacyId: row.id, updatedAt: row.updatedAt },
  });
  const url = `${options.commandUrl.replace(/\/+$/, '')}/v1/user-imports`;
  const headers = {
    'content-type': 'application/json',
    ...(options.internalToken ? { 'x-eventfold-internal-token': options.internalToken } : {}),
  };
  const attempt = async (): Promise<RowOutcome> => {
    const response = await fetch(url, { method: 'POST', headers, body }).catch((error: Error) => {
      throw new NotSettled(
        `the command service at ${new URL(url).origin} does not answer (${error.message})`,
      );
    });
    const answer = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    if (response.status === 200 || response.status === 201)
      return { kind: response.headers.get('idempotent-replayed') === 'true' ? 'present' : 'imported' };
    if (response.status === 409 && answer.code === 'USER_ALREADY_REGISTERED') return { kind: 'present' };
    if (
      response.status === 202 ||
      response.status === 408 ||
      response.status === 429 ||
      response.status >= 500
    )
      throw new NotSettled(`the command service answered ${response.status}`);
    return {
      kind: 'rejected',
      legacyId: row.id,
      code: answer.code ?? String(response.status),
      reason: answer.detail ?? '',
    };
  };
  try {
    return await retry(attempt, { ...ROW_RETRY, retryIf: (error) => error instanceof NotSettled });
  } catch (error) {
    throw new CliError(
      `migrate import: legacy row ${row.id} is not settled (${(error as Error).message}); run again to resume`,
    );
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; results in the items' order. */
async function pooled<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
    }),
  );
  return results;
}

/**
 * `eventfold migrate import` (issue 20, phase 0; docs/decisions/0020-importing-a-crud-table.md): reads the legacy
 * table in id order, batch by batch, and sends each row as an ImportUser command through the command service (its
 * address claimed, then decided by the stream's partition owner, in a transaction). After each batch is settled the
 * checkpoint moves to its last id. Rows the domain refuses are listed by legacy id with the reason, never dropped.
 */
export async function migrateImport(options: MigrateImportOptions, out: Output): Promise<ImportReport> {
  const clock = options.clock ?? Date.now;
  const table = legacyTableName(options.table);
  if (!Number.isInteger(options.batch) || options.batch < 1 || options.batch > 10_000)
    throw new CliError(
      `migrate import: --batch must be a whole number from 1 to 10000, not ${options.batch}`,
    );
  const client = await connectLegacy(options.from);
  try {
    const checkpoint = options.dryRun ? null : await importCheckpoint(client);
    if (checkpoint && options.restart) await checkpoint.clear(table);
    const after = checkpoint ? await checkpoint.read(table) : '0';
    const total = await countLegacyRows(client, table, after);
    out.line(
      `migrate import${options.dryRun ? ' (dry run)' : ''}: ${total} rows to read in ${table}${after !== '0' ? `, resuming after legacy id ${after}` : ''}`,
    );
    const started = clock();
    const held = new Map<string, string>();
    const rejected: RejectedRow[] = [];
    let imported = 0;
    let alreadyPresent = 0;
    let done = 0;
    for await (const rows of allLegacyRows(client, table, options.batch, after)) {
      const outcomes = options.dryRun
        ? rows.map((row) => checkRow(row, held))
        : await pooled(rows, options.concurrency, (row) => importRow(options, row));
      for (const outcome of outcomes) {
        if (outcome.kind === 'rejected') {
          rejected.push({ legacyId: outcome.legacyId, code: outcome.code, reason: outcome.reason });
          out.line(`  rejected: legacy id ${outcome.legacyId}: ${outcome.code}: ${outcome.reason}`);
        } else if (outcome.kind === 'imported') imported++;
        else alreadyPresent++;
      }
      if (checkpoint) await checkpoint.store(table, rows.at(-1)!.id);
      done += rows.length;
      out.line(progressLine(done, total, started, clock()));
    }
    const seconds = (clock() - started) / 1000;
    out.line(
      `${options.dryRun ? 'dry run, nothing written: would import' : 'imported'} ${imported}, already present ${alreadyPresent}, rejected ${rejected.length} (${done} rows in ${seconds.toFixed(1)} s, ${(done / Math.max(seconds, 0.001)).toFixed(0)} rows/s)`,
    );
    return { rows: done, imported, alreadyPresent, rejected, seconds };
  } finally {
    await client.end().catch(() => undefined);
  }
}
