import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteDatabase } from './openDatabase';
import { truncateWal } from './truncateWal';

// What a forget relies on in the embedded mode: a value overwritten on a connection from openDatabase, then
// truncateWal, is in no byte of the database's files (free space of its pages, the WAL, the -shm index).

const SECRET = 'Ada Lovelace, ada@example.com';

/** The files of the database (`x.sqlite`, `x.sqlite-wal`, `x.sqlite-shm`) whose raw bytes hold `value`. */
const filesHolding = (dir: string, value: string) =>
  fs.readdirSync(dir).filter((name) => fs.readFileSync(path.join(dir, name)).includes(value));

describe('truncateWal after an overwrite', () => {
  let dir: string;
  let file: string;
  const open: SqliteDatabase[] = [];
  const connect = () => {
    const db = openDatabase(file);
    open.push(db);
    return db;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-wal-'));
    file = path.join(dir, 'x.sqlite');
  });
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the overwritten value in no file, the current one readable', () => {
    const db = connect();
    db.exec('CREATE TABLE people (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID');
    // The secret first: the shorter document that replaces it takes the end of the freed space, not the start.
    const before = JSON.stringify({ name: SECRET, about: 'x'.repeat(200) });
    db.prepare('INSERT INTO people (id, doc) VALUES (?, ?)').run('p1', before);
    db.prepare('INSERT INTO people (id, doc) VALUES (?, ?)').run('p2', JSON.stringify({ name: 'kept' }));
    db.prepare('UPDATE people SET doc = ? WHERE id = ?').run(JSON.stringify({ name: '[erased]' }), 'p1');
    expect(filesHolding(dir, SECRET)).toEqual(['x.sqlite-wal']); // the page as it was, in the WAL

    truncateWal(db);

    expect(filesHolding(dir, SECRET)).toEqual([]);
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    expect(filesHolding(dir, 'kept')).toEqual(['x.sqlite']);
    expect(db.prepare('SELECT doc FROM people ORDER BY id').pluck().all()).toEqual([
      '{"name":"[erased]"}',
      '{"name":"kept"}',
    ]);
  });

  it('throws a retriable error while another connection reads, and truncates once it is done', () => {
    const db = connect();
    db.exec('CREATE TABLE people (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID');
    db.prepare('INSERT INTO people (id, doc) VALUES (?, ?)').run('p1', SECRET);
    const reader = connect();
    reader.exec('BEGIN');
    reader.prepare('SELECT * FROM people').all(); // a snapshot that the WAL must keep
    db.prepare('UPDATE people SET doc = ? WHERE id = ?').run('[erased]', 'p1');
    db.pragma('busy_timeout = 0'); // the error at once, not after openDatabase's 5 s

    expect(() => truncateWal(db)).toThrow(
      expect.objectContaining({ code: 'SQLITE_WAL_NOT_TRUNCATED', retriable: true }),
    );
    reader.exec('COMMIT');
    truncateWal(db);
    expect(filesHolding(dir, SECRET)).toEqual([]);
  });
});
