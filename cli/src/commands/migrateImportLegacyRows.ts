import pg from 'pg';
import type { LegacyUserRow } from '@eventfold/migrator-service';
import { CliError } from './output';

// A row of the legacy `users` table is the one shape the migrator reads from the log: the id as text (a bigint
// exceeds a number), `updated_at` in epoch ms.
export type { LegacyUserRow } from '@eventfold/migrator-service';

const TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The legacy table's name, checked: it goes into SQL as an identifier. */
export function legacyTableName(table: string): string {
  if (!TABLE.test(table)) throw new CliError(`migrate: --table must be a plain table name, not ${table}`);
  return table;
}

/** A connection to the legacy database, with the failure said in one line. */
export async function connectLegacy(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new CliError(`migrate: the legacy database does not answer (${(error as Error).message})`);
  }
  return client;
}

/** Rows of the table after legacy id `afterId` (every row by default). */
export async function countLegacyRows(client: pg.Client, table: string, afterId = '0'): Promise<number> {
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE id > $1::bigint`,
    [afterId],
  );
  return Number(result.rows[0]!.n);
}

/** The next `limit` rows after legacy id `afterId`, in id order (keyset pagination: no offset scans). */
export async function legacyRowsAfter(
  client: pg.Client,
  table: string,
  afterId: string,
  limit: number,
): Promise<LegacyUserRow[]> {
  const result = await client.query<{
    legacy_id: string;
    name: string | null;
    email: string | null;
    status: string;
    updated_at: Date | null;
  }>(
    `SELECT id::text AS legacy_id, name, email, status, updated_at FROM ${pg.escapeIdentifier(table)}
     WHERE id > $1::bigint ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  // Ordered by the column, not by its text (which would put 10 before 9).
  return result.rows.map((r) => ({
    id: r.legacy_id,
    name: r.name,
    email: r.email,
    status: r.status,
    updatedAt: r.updated_at === null ? null : r.updated_at.getTime(),
  }));
}

/** Every legacy row, batch by batch in id order. */
export async function* allLegacyRows(
  client: pg.Client,
  table: string,
  batch: number,
  afterId = '0',
): AsyncGenerator<LegacyUserRow[]> {
  let after = afterId;
  for (;;) {
    const rows = await legacyRowsAfter(client, table, after, batch);
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)!.id;
  }
}
