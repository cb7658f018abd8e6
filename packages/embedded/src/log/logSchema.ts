import type { SqliteDatabase } from '../database/openDatabase';

/**
 * The tables of the embedded log. `records` holds committed records only (read_committed by construction);
 * `group_offsets` the next offset each consumer group reads per partition (committed with a transaction's records
 * when a partition owner commits).
 */
export function createLogSchema(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS topics (
      name TEXT PRIMARY KEY,
      partitions INTEGER NOT NULL,
      compacted INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS records (
      topic TEXT NOT NULL,
      partition INTEGER NOT NULL,
      offset INTEGER NOT NULL,
      key BLOB,
      value BLOB,
      headers TEXT,
      timestamp INTEGER NOT NULL,
      PRIMARY KEY (topic, partition, offset)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS records_by_key ON records (topic, partition, key);
    CREATE TABLE IF NOT EXISTS group_offsets (
      group_id TEXT NOT NULL,
      topic TEXT NOT NULL,
      partition INTEGER NOT NULL,
      next_offset INTEGER NOT NULL,
      PRIMARY KEY (group_id, topic, partition)
    ) WITHOUT ROWID;
  `);
}
