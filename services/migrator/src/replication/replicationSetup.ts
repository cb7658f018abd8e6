import pg from 'pg';
import { REJECTED_DDL } from '../deadLetters/rejectedChanges';

export interface ReplicationNames {
  /** The legacy table followed (`users`). */
  readonly table: string;
  readonly publication: string;
  readonly slot: string;
}

/**
 * What logical replication needs on the legacy side, created once and left alone afterwards: the old row in every
 * update (REPLICA IDENTITY FULL: an update says what changed from what), a publication of the table alone, a
 * `pgoutput` slot (from its creation on, PostgreSQL keeps the WAL until the migrator acknowledges it), and the
 * migrator's dead-letter table. The legacy application's code does not change.
 */
export async function prepareReplication(db: pg.Pool, names: ReplicationNames): Promise<void> {
  const table = pg.escapeIdentifier(names.table);
  await db.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
  const publications = await db.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [names.publication]);
  if (publications.rowCount === 0)
    await db.query(`CREATE PUBLICATION ${pg.escapeIdentifier(names.publication)} FOR TABLE ${table}`);
  const slots = await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [names.slot]);
  if (slots.rowCount === 0)
    await db
      .query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [names.slot])
      .catch((error: { code?: string }) => {
        if (error.code !== '42710') throw error; // created meanwhile by another start: the same slot
      });
  await db.query(REJECTED_DDL);
}

/** Bytes of WAL the slot's acknowledged position is behind the legacy database's current one; null without slot. */
export async function slotLagBytes(db: pg.Pool | pg.ClientBase, slot: string): Promise<number | null> {
  const result = await db.query<{ bytes: string | null }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS bytes
     FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const bytes = result.rows[0]?.bytes;
  return bytes === undefined || bytes === null ? null : Math.max(Number(bytes), 0);
}
