import pg from 'pg';

/**
 * Where an import run has got to, in the legacy database beside the table it reads: the last legacy id below which
 * every row is settled (imported, already present, or refused and reported). A crashed run resumes after it; the rows
 * of the batch it was in are sent again and answered from the idempotency windows (the command ids follow from the
 * rows), so nothing is imported twice. `--restart` starts from the first row again, which is just as safe.
 */
export const CHECKPOINT_TABLE = 'eventfold_import_checkpoint';

export interface ImportCheckpoint {
  read(table: string): Promise<string>;
  store(table: string, lastId: string): Promise<void>;
  clear(table: string): Promise<void>;
}

export async function importCheckpoint(client: pg.Client): Promise<ImportCheckpoint> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
       source_table text PRIMARY KEY, last_id bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
  );
  return {
    async read(table) {
      const result = await client.query<{ last_id: string }>(
        `SELECT last_id::text AS last_id FROM ${CHECKPOINT_TABLE} WHERE source_table = $1`,
        [table],
      );
      return result.rows[0]?.last_id ?? '0';
    },
    async store(table, lastId) {
      await client.query(
        `INSERT INTO ${CHECKPOINT_TABLE} (source_table, last_id) VALUES ($1, $2::bigint)
         ON CONFLICT (source_table) DO UPDATE SET last_id = EXCLUDED.last_id, updated_at = now()`,
        [table, lastId],
      );
    },
    async clear(table) {
      await client.query(`DELETE FROM ${CHECKPOINT_TABLE} WHERE source_table = $1`, [table]);
    },
  };
}
