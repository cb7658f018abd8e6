import type { HistoryRange, PartitionRange, PositionedEvent, SearchQuery } from '@eventfold/core';
import {
  erasePersonalData,
  eventOfHistory,
  planProjection,
  type RecordedUserEvent,
  type UserDocument,
  type UserEventDocument,
  type UserReadStore,
} from '@eventfold/users-domain';
import type { SqliteDatabase } from '../database/openDatabase';
import { truncateWal } from '../database/truncateWal';

type Stored<T> = { [K in keyof T]: T[K] extends Date ? number : T[K] };

const userToRow = (doc: UserDocument): Stored<UserDocument> => ({
  ...doc,
  createdAt: doc.createdAt.getTime(),
  updatedAt: doc.updatedAt.getTime(),
});
const userOfRow = (row: Stored<UserDocument>): UserDocument => ({
  ...row,
  createdAt: new Date(row.createdAt),
  updatedAt: new Date(row.updatedAt),
});
const eventToRow = (doc: UserEventDocument): Stored<UserEventDocument> => ({
  ...doc,
  occurredAt: doc.occurredAt.getTime(),
  recordedAt: doc.recordedAt.getTime(),
});
const eventOfRow = (row: Stored<UserEventDocument>): UserEventDocument => ({
  ...row,
  occurredAt: new Date(row.occurredAt),
  recordedAt: new Date(row.recordedAt),
});

/** A stored event's place in the log, as the all-users follow feed reads it (and its index holds it). */
const PARTITION_OF = "json_extract(doc, '$.partition')";
const OFFSET_OF = "CAST(json_extract(doc, '$.offset') AS INTEGER)";

/** Table names of one version of the read model (blue/green rebuilds write a new version beside the old). */
export function readModelTables(version: number) {
  const suffix = version <= 1 ? '' : `_v${version}`;
  return { users: `users${suffix}`, events: `user_events${suffix}`, checkpoints: `checkpoints${suffix}` };
}

/**
 * The users read store on SQLite, for the single-process mode: documents and history as JSON with the columns
 * that reads filter and sort on, checkpoints per partition. Writes of one slice are one SQLite transaction, so a
 * crash leaves either all of a slice or none; the version guard makes redelivery harmless either way.
 */
export class SqliteReadStore implements UserReadStore {
  private readonly tables: ReturnType<typeof readModelTables>;

  constructor(
    private readonly db: SqliteDatabase,
    version = 1,
  ) {
    this.tables = readModelTables(version);
  }

  async ensureSchema(): Promise<void> {
    const { users, events, checkpoints } = this.tables;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS ${users} (
        id TEXT PRIMARY KEY,
        name_key TEXT NOT NULL,
        doc TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${users}_by_name ON ${users} (name_key, id);
      CREATE TABLE IF NOT EXISTS ${events} (
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        occurred_at INTEGER NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (stream_id, version)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${events}_by_position ON ${events} (${PARTITION_OF}, ${OFFSET_OF});
      CREATE TABLE IF NOT EXISTS ${checkpoints} (
        partition INTEGER PRIMARY KEY,
        offset TEXT NOT NULL
      );
    `);
  }

  async apply(events: readonly PositionedEvent<RecordedUserEvent>[]) {
    const started = Date.now();
    const streamIds = [...new Set(events.map((e) => e.event.metadata.streamId))];
    const find = this.db.prepare(`SELECT doc FROM ${this.tables.users} WHERE id = ?`);
    const current = new Map<string, UserDocument>();
    for (const id of streamIds) {
      const row = find.get(id) as { doc: string } | undefined;
      if (row) current.set(id, userOfRow(JSON.parse(row.doc) as Stored<UserDocument>));
    }
    const plan = planProjection(events, current);
    const insertEvent = this.db.prepare(
      `INSERT OR IGNORE INTO ${this.tables.events} (stream_id, version, occurred_at, doc) VALUES (?, ?, ?, ?)`,
    );
    const upsertUser = this.db.prepare(
      `INSERT INTO ${this.tables.users} (id, name_key, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name_key = excluded.name_key, doc = excluded.doc`,
    );
    this.db.transaction(() => {
      for (const doc of plan.history)
        insertEvent.run(doc.streamId, doc.version, doc.occurredAt.getTime(), JSON.stringify(eventToRow(doc)));
      for (const doc of plan.users.values())
        upsertUser.run(doc._id, doc.nameKey, JSON.stringify(userToRow(doc)));
    })();
    // A forget overwrote a user's document: the WAL still holds its earlier image, with the personal data.
    if (events.some((e, i) => e.event.type === 'UserForgotten' && (!plan.failed || i < plan.failed.index)))
      truncateWal(this.db);
    return {
      applied: plan.applied,
      duplicates: plan.duplicates,
      failed: plan.failed,
      shardMillis: plan.applied > 0 ? [Date.now() - started] : [],
    };
  }

  /**
   * The first step of a forget (the projector calls it before it applies the forget, and again on a redelivery):
   * the WAL is truncated after, so that no earlier image of those pages stays in the files. `apply` truncates it
   * again once the forget has overwritten the user's document.
   */
  async eraseHistory(streamId: string, before: number): Promise<number> {
    const rows = this.db
      .prepare(`SELECT version, doc FROM ${this.tables.events} WHERE stream_id = ? AND version < ?`)
      .all(streamId, before) as { version: number; doc: string }[];
    const update = this.db.prepare(
      `UPDATE ${this.tables.events} SET doc = ? WHERE stream_id = ? AND version = ?`,
    );
    let erased = 0;
    this.db.transaction(() => {
      for (const row of rows) {
        const stored = JSON.parse(row.doc) as Stored<UserEventDocument>;
        const data = erasePersonalData(eventOfHistory(eventOfRow(stored))).data as Record<string, unknown>;
        if (JSON.stringify(data) === JSON.stringify(stored.data)) continue;
        update.run(JSON.stringify({ ...stored, data }), streamId, row.version);
        erased++;
      }
    })();
    truncateWal(this.db);
    return erased;
  }

  /** Nothing is cached: SQLite answers every lookup from its own pages. */
  forgetCached(): void {}

  /** Nothing to do ahead: the lookups of `apply` are local reads. */
  async warm(): Promise<void> {}

  async storeCheckpoint(partition: number, offset: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO ${this.tables.checkpoints} (partition, offset) VALUES (?, ?) ON CONFLICT (partition) DO UPDATE SET offset = excluded.offset`,
      )
      .run(partition, offset);
  }

  async readCheckpoints(): Promise<Map<number, bigint>> {
    const rows = this.db.prepare(`SELECT partition, offset FROM ${this.tables.checkpoints}`).all() as {
      partition: number;
      offset: string;
    }[];
    return new Map(rows.map((r) => [r.partition, BigInt(r.offset)]));
  }

  async findDocument(streamId: string): Promise<UserDocument | null> {
    const row = this.db.prepare(`SELECT doc FROM ${this.tables.users} WHERE id = ?`).get(streamId) as
      { doc: string } | undefined;
    return row ? userOfRow(JSON.parse(row.doc) as Stored<UserDocument>) : null;
  }

  async history(streamId: string, range: HistoryRange): Promise<UserEventDocument[]> {
    const conditions = ['stream_id = ?'];
    const parameters: (string | number)[] = [streamId];
    if (range.asOf) {
      conditions.push('occurred_at <= ?');
      parameters.push(range.asOf.getTime());
    }
    if (range.atVersion !== undefined) {
      conditions.push('version <= ?');
      parameters.push(range.atVersion);
    }
    if (range.afterVersion !== undefined) {
      conditions.push('version > ?');
      parameters.push(range.afterVersion);
    }
    const limit = range.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(range.limit))}`;
    const rows = this.db
      .prepare(
        `SELECT doc FROM ${this.tables.events} WHERE ${conditions.join(' AND ')} ORDER BY version${limit}`,
      )
      .all(...parameters) as { doc: string }[];
    return rows.map((r) => eventOfRow(JSON.parse(r.doc) as Stored<UserEventDocument>));
  }

  async partitionHistory(partition: number, range: PartitionRange): Promise<UserEventDocument[]> {
    const conditions = [`${PARTITION_OF} = ?`, `${OFFSET_OF} <= ?`];
    const parameters: (number | bigint | string)[] = [partition, range.upTo];
    if (range.after !== null) {
      conditions.push(`${OFFSET_OF} > ?`);
      parameters.push(range.after);
    }
    if (range.types) {
      conditions.push(`json_extract(doc, '$.type') IN (${range.types.map(() => '?').join(', ')})`);
      parameters.push(...range.types);
    }
    const rows = this.db
      .prepare(
        `SELECT doc FROM ${this.tables.events} WHERE ${conditions.join(' AND ')} ORDER BY ${OFFSET_OF} LIMIT ?`,
      )
      .all(...parameters, Math.max(0, Math.floor(range.limit))) as { doc: string }[];
    return rows.map((r) => eventOfRow(JSON.parse(r.doc) as Stored<UserEventDocument>));
  }

  async search({ nameContains, after, limit }: SearchQuery): Promise<UserDocument[]> {
    const conditions: string[] = [];
    const parameters: (string | number)[] = [];
    if (nameContains) {
      // instr: a literal substring, never a pattern.
      conditions.push('instr(name_key, ?) > 0');
      parameters.push(nameContains.toLowerCase());
    }
    if (after) {
      conditions.push('(name_key > ? OR (name_key = ? AND id > ?))');
      parameters.push(after[0], after[0], after[1]);
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT doc FROM ${this.tables.users}${where} ORDER BY name_key, id LIMIT ?`)
      .all(...parameters, limit) as { doc: string }[];
    return rows.map((r) => userOfRow(JSON.parse(r.doc) as Stored<UserDocument>));
  }

  async health(): Promise<Record<string, boolean>> {
    try {
      this.db.prepare('SELECT 1').get();
      return { sqlite: true };
    } catch {
      return { sqlite: false };
    }
  }

  /** The database belongs to whoever opened it. */
  async close(): Promise<void> {}
}
