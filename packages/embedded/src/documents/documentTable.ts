import type { SqliteDatabase } from '../database/openDatabase';

/**
 * A table of JSON documents by id with a revision, for state that services keep beside the read model (the
 * notifier's ledger and recipients): read, insert if absent, replace if the revision is still the one read.
 */
export class DocumentTable<T> {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly name: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid table name ${name}`);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, revision INTEGER NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID`,
    );
  }

  find(id: string): { doc: T; revision: number } | null {
    const row = this.db.prepare(`SELECT doc, revision FROM ${this.name} WHERE id = ?`).get(id) as
      { doc: string; revision: number } | undefined;
    return row ? { doc: JSON.parse(row.doc) as T, revision: row.revision } : null;
  }

  /**
   * Writes `doc` at `revision` if the stored one is `expected` (null: only if absent). Answers whether it wrote.
   */
  save(id: string, doc: T, expected: number | null, revision: number): boolean {
    const text = JSON.stringify(doc);
    const result =
      expected === null
        ? this.db
            .prepare(
              `INSERT INTO ${this.name} (id, revision, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
            )
            .run(id, revision, text)
        : this.db
            .prepare(`UPDATE ${this.name} SET doc = ?, revision = ? WHERE id = ? AND revision = ?`)
            .run(text, revision, id, expected);
    return result.changes === 1;
  }
}
