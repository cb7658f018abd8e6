import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating it and its folder if needed) a SQLite file for one process. WAL journal with
 * `synchronous = NORMAL`: a commit survives the process being killed (kill -9), not necessarily a power cut;
 * the embedded mode is for development and demos, production runs on Kafka and MongoDB.
 *
 * `secure_delete = ON`: whatever a write removes or overwrites (a row, an index entry, a freed page) is zeroed in
 * its page, so a forgotten user's data does not live on in free space. It is a setting of the connection, not of
 * the file, hence here, for every connection. What it cannot reach, the earlier page images in the WAL, is
 * `truncateWal`'s (database/truncateWal.ts).
 */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  return db;
}
