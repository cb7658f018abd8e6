import type { Statement } from 'better-sqlite3';
import type { KeyCheckValue, KeyRecord, KeyRecords } from '@eventfold/crypto';
import type { SqliteDatabase } from '../database/openDatabase';
import { truncateWal } from '../database/truncateWal';

// Tables of the embedded key store, in the embedded mode's one SQLite file:
//   data_keys  (stream_id PRIMARY KEY, state 'active' | 'forgotten', key_id, wrapped_key BLOB | NULL, at)
//   key_check  (id 'master' PRIMARY KEY, sealed BLOB, fingerprint)

type ActiveRecord = Extract<KeyRecord, { state: 'active' }>;

const INSERT_ACTIVE = `INSERT INTO data_keys (stream_id, state, key_id, wrapped_key, at) VALUES (?, 'active', ?, ?, ?)
  ON CONFLICT (stream_id) DO NOTHING`;

interface KeyRow {
  stream_id: string;
  state: 'active' | 'forgotten';
  key_id: string | null;
  wrapped_key: Buffer | null;
  at: number;
}

/**
 * {@link KeyRecords} in SQLite: the key store of the embedded mode, beside its log and read model. The connection
 * runs with `secure_delete`, so the page that held a wrapped key is zeroed when the tombstone replaces it, and the
 * tombstone truncates the WAL, which still holds the page as it was. A wrapped key left in the files would undo the
 * forget for anyone with the master key, which the embedded mode keeps in the same folder.
 */
export class SqliteKeyRecords implements KeyRecords {
  readonly description: string;

  constructor(
    private readonly db: SqliteDatabase,
    file = 'the embedded database',
  ) {
    this.description = `the key store (SQLite, ${file})`;
    db.pragma('secure_delete = ON');
    db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      stream_id TEXT PRIMARY KEY, state TEXT NOT NULL, key_id TEXT, wrapped_key BLOB, at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    db.exec(
      'CREATE TABLE IF NOT EXISTS key_check (id TEXT PRIMARY KEY, sealed BLOB NOT NULL, fingerprint TEXT NOT NULL) WITHOUT ROWID',
    );
  }

  async read(streamId: string): Promise<KeyRecord | null> {
    const row = this.db.prepare('SELECT * FROM data_keys WHERE stream_id = ?').get(streamId) as
      KeyRow | undefined;
    return row ? toRecord(row) : null;
  }

  async readMany(streamIds: readonly string[]): Promise<Map<string, KeyRecord>> {
    const rows = this.db
      .prepare('SELECT * FROM data_keys WHERE stream_id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(streamIds)) as KeyRow[];
    return new Map(rows.map((row) => [row.stream_id, toRecord(row)]));
  }

  async insert(record: ActiveRecord): Promise<boolean> {
    return this.insertRow(this.db.prepare(INSERT_ACTIVE), record);
  }

  async insertMany(records: readonly ActiveRecord[]): Promise<Set<string>> {
    const statement = this.db.prepare(INSERT_ACTIVE);
    const inserted = new Set<string>();
    // One transaction: one commit (one fsync of the WAL) for the batch instead of one per key.
    this.db.transaction(() => {
      for (const record of records) if (this.insertRow(statement, record)) inserted.add(record.streamId);
    })();
    return inserted;
  }

  private insertRow(statement: Statement<unknown[]>, record: ActiveRecord): boolean {
    const { changes } = statement.run(
      record.streamId,
      record.keyId,
      record.wrappedKey,
      record.createdAt.getTime(),
    );
    return changes === 1;
  }

  async tombstone(record: Extract<KeyRecord, { state: 'forgotten' }>): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO data_keys (stream_id, state, key_id, wrapped_key, at) VALUES (?, 'forgotten', ?, NULL, ?)
         ON CONFLICT (stream_id) DO UPDATE SET state = 'forgotten', key_id = excluded.key_id, wrapped_key = NULL,
         at = excluded.at`,
      )
      .run(record.streamId, record.keyId, record.forgottenAt.getTime());
    truncateWal(this.db);
  }

  async readKeyCheck(): Promise<KeyCheckValue | null> {
    const row = this.db.prepare(`SELECT sealed, fingerprint FROM key_check WHERE id = 'master'`).get() as
      { sealed: Buffer; fingerprint: string } | undefined;
    return row ? { sealed: Buffer.from(row.sealed), fingerprint: row.fingerprint } : null;
  }

  async insertKeyCheck(check: KeyCheckValue): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO key_check (id, sealed, fingerprint) VALUES ('master', ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(check.sealed, check.fingerprint);
    return result.changes === 1;
  }

  async anyActive(): Promise<ActiveRecord | null> {
    const row = this.db.prepare(`SELECT * FROM data_keys WHERE state = 'active' LIMIT 1`).get() as
      KeyRow | undefined;
    return row ? (toRecord(row) as ActiveRecord) : null;
  }

  /** Drops the key-check value, as a damaged file would (the contract's test of a lost check). */
  loseKeyCheck(): void {
    this.db.exec(`DELETE FROM key_check WHERE id = 'master'`);
  }
}

function toRecord(row: KeyRow): KeyRecord {
  return row.state === 'forgotten'
    ? { state: 'forgotten', streamId: row.stream_id, keyId: row.key_id, forgottenAt: new Date(row.at) }
    : {
        state: 'active',
        streamId: row.stream_id,
        keyId: row.key_id!,
        wrappedKey: Buffer.from(row.wrapped_key!),
        createdAt: new Date(row.at),
      };
}
