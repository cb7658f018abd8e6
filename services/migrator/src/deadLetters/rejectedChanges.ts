import type pg from 'pg';

export const REJECTED_DDL = `
CREATE TABLE IF NOT EXISTS eventfold_migration_rejected (
  key text PRIMARY KEY,
  source text NOT NULL,
  legacy_id text,
  change jsonb NOT NULL,
  row_values jsonb,
  code text NOT NULL,
  reason text NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now()
)`;

/** A change eventfold refused (or that maps to no command): kept with the row, the change and the reason. */
export interface RejectedChange {
  readonly key: string;
  readonly source: string;
  readonly legacyId: string | null;
  readonly change: unknown;
  readonly row: unknown;
  readonly code: string;
  readonly reason: string;
}

/**
 * The migration's dead-letter list: a table in the legacy database, beside the rows it speaks of (the migrator
 * already writes there, and an operator reads it with `eventfold migrate rejected` or SQL). Keyed by the command's
 * Idempotency-Key, so the same refusal replayed after a crash is listed once.
 */
export async function recordRejected(db: pg.Pool, rejected: RejectedChange): Promise<void> {
  await db.query(
    `INSERT INTO eventfold_migration_rejected (key, source, legacy_id, change, row_values, code, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
    [
      rejected.key,
      rejected.source,
      rejected.legacyId,
      JSON.stringify(rejected.change),
      JSON.stringify(rejected.row),
      rejected.code,
      rejected.reason,
    ],
  );
}

export async function listRejected(db: pg.ClientBase | pg.Pool, source: string | null) {
  const result = await db.query<{
    key: string;
    legacy_id: string | null;
    change: unknown;
    code: string;
    reason: string;
    rejected_at: Date;
  }>(
    `SELECT key, legacy_id, change, code, reason, rejected_at FROM eventfold_migration_rejected
     WHERE $1::text IS NULL OR source = $1 ORDER BY rejected_at, key`,
    [source],
  );
  return result.rows;
}
