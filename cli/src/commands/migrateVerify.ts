import { legacyUserId } from '@eventfold/command-service';
import { normaliseEmail, normaliseName } from '@eventfold/users-domain';
import { allLegacyRows, connectLegacy, legacyTableName, type LegacyUserRow } from './migrateImportLegacyRows';
import { CliError, type Output } from './output';

export interface MigrateVerifyOptions {
  readonly from: string;
  readonly table: string;
  readonly batch: number;
  /** The query service's base URL (`QUERY_URL`): the read model, by stream id. */
  readonly queryUrl: string;
  readonly internalToken?: string;
  readonly concurrency: number;
  /** Differences printed in full; the rest are counted. */
  readonly show?: number;
}

type Field = 'name' | 'email' | 'status';

/** One way a legacy row and eventfold's user differ: a field, or the user missing altogether. */
export interface Difference {
  readonly legacyId: string;
  readonly userId: string;
  readonly field: Field | 'missing';
  readonly legacy: string | null;
  readonly eventfold: string | null;
}

export interface VerifyReport {
  readonly legacyRows: number;
  readonly found: number;
  /** Rows the domain refuses (an invalid address, a name it cannot hold): `migrate import` lists them, with reasons. */
  readonly unimportable: readonly string[];
  readonly differences: readonly Difference[];
}

interface ViewedUser {
  readonly name: string;
  readonly email: string;
  readonly status: string;
}

/** The row as eventfold would hold it (the domain's normal forms), or null when the domain refuses it. */
function expectedOf(row: LegacyUserRow): Record<Field, string> | null {
  try {
    return {
      name: normaliseName(row.name ?? ''),
      email: normaliseEmail(row.email ?? ''),
      status: row.status === 'deactivated' ? 'deactivated' : 'active',
    };
  } catch {
    return null;
  }
}

async function viewOf(options: MigrateVerifyOptions, userId: string): Promise<ViewedUser | null> {
  const url = `${options.queryUrl.replace(/\/+$/, '')}/v1/users/${userId}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: options.internalToken ? { 'x-eventfold-internal-token': options.internalToken } : {},
    });
  } catch (error) {
    throw new CliError(
      `migrate verify: the query service at ${new URL(url).origin} does not answer (${(error as Error).message})`,
    );
  }
  if (response.status === 404) return null;
  if (!response.ok)
    throw new CliError(`migrate verify: the query service answered ${response.status} for user ${userId}`);
  return (await response.json()) as ViewedUser;
}

/** Compares one row with its user: the fields that differ, or the user missing. */
function compare(row: LegacyUserRow, userId: string, user: ViewedUser | null): Difference[] {
  const expected = expectedOf(row)!;
  if (user === null)
    return [{ legacyId: row.id, userId, field: 'missing', legacy: expected.email, eventfold: null }];
  return (['name', 'email', 'status'] as const)
    .filter((field) => expected[field] !== user[field])
    .map((field) => ({ legacyId: row.id, userId, field, legacy: expected[field], eventfold: user[field] }));
}

/**
 * `eventfold migrate verify` (issue 20, phase 2): every legacy row against eventfold's read model, through the query
 * service, by the stream id its legacy id names. Counts first, then each field that differs (name, email, status,
 * compared in the domain's normal forms); the first `show` differences are printed. The caller exits non-zero when
 * any difference is left.
 */
export async function migrateVerify(options: MigrateVerifyOptions, out: Output): Promise<VerifyReport> {
  const table = legacyTableName(options.table);
  const show = options.show ?? 20;
  const client = await connectLegacy(options.from);
  const differences: Difference[] = [];
  const unimportable: string[] = [];
  const held = new Map<string, string>();
  let legacyRows = 0;
  let found = 0;
  try {
    for await (const rows of allLegacyRows(client, table, options.batch)) {
      legacyRows += rows.length;
      const importable = rows.filter((row) => {
        const expected = expectedOf(row);
        // Refused by the domain, or an address an earlier row has (one account per address): import lists them.
        const holder = expected === null ? undefined : held.get(expected.email);
        if (expected !== null && holder === undefined) {
          held.set(expected.email, row.id);
          return true;
        }
        unimportable.push(row.id);
        return false;
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(options.concurrency, importable.length) }, async () => {
          for (let i = next++; i < importable.length; i = next++) {
            const row = importable[i]!;
            const userId = legacyUserId(table, row.id);
            const user = await viewOf(options, userId);
            if (user !== null) found++;
            differences.push(...compare(row, userId, user));
          }
        }),
      );
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  differences.sort(
    (a, b) => Number(BigInt(a.legacyId) - BigInt(b.legacyId)) || a.field.localeCompare(b.field),
  );
  out.line(
    `migrate verify: ${legacyRows} legacy rows, ${found} found in eventfold, ${unimportable.length} the domain refuses (see migrate import)`,
  );
  for (const d of differences.slice(0, show)) {
    out.line(
      d.field === 'missing'
        ? `  legacy id ${d.legacyId}: missing (user ${d.userId})`
        : `  legacy id ${d.legacyId}: ${d.field} differs (user ${d.userId}): legacy ${JSON.stringify(d.legacy)}, eventfold ${JSON.stringify(d.eventfold)}`,
    );
  }
  if (differences.length > show) out.line(`  … and ${differences.length - show} more`);
  const rowsDiffering = new Set(differences.map((d) => d.legacyId)).size;
  out.line(
    differences.length === 0
      ? `no differences: every importable row matches eventfold`
      : `${differences.length} differences in ${rowsDiffering} rows`,
  );
  return { legacyRows, found, unimportable, differences };
}
