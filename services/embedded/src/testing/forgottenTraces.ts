import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@eventfold/embedded';
import { scanFiles, type PlaintextHit } from '@eventfold/testing';

/** Every row of every table of the SQLite file, as text (blobs as latin1), lower-cased. */
export function everyRow(file: string): string {
  const db = openDatabase(file);
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
      name: string;
    }[];
    return tables
      .flatMap(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
      .map((row) =>
        Object.values(row)
          .map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)))
          .join('\u0000'),
      )
      .join('\n')
      .toLowerCase();
  } finally {
    db.close();
  }
}

/** The data key of a stream as the key store holds it (wrapped under the master key). */
export function wrappedKeyOf(file: string, streamId: string): Buffer {
  const db = openDatabase(file);
  try {
    const row = db.prepare('SELECT wrapped_key FROM data_keys WHERE stream_id = ?').get(streamId) as
      { wrapped_key: Buffer | null } | undefined;
    if (!row?.wrapped_key) throw new Error(`No data key for ${streamId}`);
    return Buffer.from(row.wrapped_key);
  } finally {
    db.close();
  }
}

/** A message the file mailer delivered: mail to the user, not data the system keeps. */
const delivered = (dataDir: string, file: string) =>
  path.dirname(file) === path.join(dataDir, 'mail') && file.endsWith('.eml');

/**
 * Where the raw bytes of the files under `dataDir` (the SQLite database, its `-wal` and `-shm`, every other file)
 * still hold one of `values` (case-insensitively) or the bytes of `secret`; delivered mail aside.
 */
export function tracesIn(dataDir: string, values: readonly string[], secret?: Buffer): PlaintextHit[] {
  const hits = scanFiles([dataDir], values).hits.filter((hit) => !delivered(dataDir, hit.where));
  if (secret === undefined) return hits;
  for (const file of fs.readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
    const where = path.join(dataDir, file);
    try {
      if (fs.statSync(where).isFile() && fs.readFileSync(where).includes(secret))
        hits.push({ where, value: 'the wrapped data key' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // gone since it was listed
    }
  }
  return hits;
}
