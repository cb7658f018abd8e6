import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

/** The server's current WAL insert position, as text (`0/3000148`). */
export async function walPosition(db: pg.ClientBase): Promise<string> {
  return (await db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn;
}

/** WAL bytes written since `from`. */
export async function walBytesSince(db: pg.ClientBase, from: string): Promise<number> {
  const result = await db.query<{ bytes: string }>(
    'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text AS bytes',
    [from],
  );
  return Number(result.rows[0]!.bytes);
}

/** WAL the slot keeps from being recycled: from its restart position to the current one. */
export async function slotRetainedBytes(db: pg.ClientBase, slot: string): Promise<number> {
  const result = await db.query<{ bytes: string }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS bytes
     FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  return Number(result.rows[0]?.bytes ?? 0);
}

export async function tableBytes(db: pg.ClientBase, table: string): Promise<number> {
  const result = await db.query<{ bytes: string }>('SELECT pg_total_relation_size($1)::text AS bytes', [
    table,
  ]);
  return Number(result.rows[0]!.bytes);
}

/** The postmaster's pid, from `postmaster.pid` in the data directory (the bench's own server, on this machine). */
export async function postmasterPid(db: pg.ClientBase): Promise<number> {
  const dir = (await db.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  return Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}
