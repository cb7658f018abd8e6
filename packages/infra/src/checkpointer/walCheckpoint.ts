import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** What one pass over a folder of SQLite databases did. */
export interface CheckpointPass {
  /** Databases whose WAL held frames and was checkpointed and truncated to nothing. */
  readonly truncated: number;
  /** Databases whose WAL could not be truncated this time (a reader or writer held it): the next pass tries again. */
  readonly busy: readonly string[];
}

/**
 * `PRAGMA wal_checkpoint(TRUNCATE)` on every `*.sqlite` database in `dir` whose WAL file is not empty: the pages
 * of the WAL are copied into the database and the WAL is cut to zero bytes. A WAL keeps the earlier images of every
 * page written since its last reset, so what an erasure overwrote (a forgotten user's name, a deleted data key) is
 * still in it until then; FerretDB never truncates its WALs itself. The connection waits at most `busyMs` for
 * FerretDB's own readers and writers (a pending TRUNCATE blocks new writers), and a busy database is left for the
 * next pass.
 */
export function checkpointDirectory(dir: string, busyMs: number): CheckpointPass {
  let truncated = 0;
  const busy: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.sqlite'));
  } catch {
    return { truncated, busy }; // the shard has not created its folder's databases yet
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (walSize(file) === 0) continue;
    let db: Database.Database | null = null;
    try {
      db = new Database(file, { fileMustExist: true });
      db.pragma(`busy_timeout = ${busyMs}`);
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy === 0) truncated++;
      else busy.push(name);
    } catch {
      busy.push(name); // SQLITE_BUSY on open, or the database was dropped meanwhile
    } finally {
      db?.close();
    }
  }
  return { truncated, busy };
}

function walSize(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
