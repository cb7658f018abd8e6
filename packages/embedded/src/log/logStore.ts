import { EventEmitter } from 'node:events';
import { partitionForKey, type LogRecord, type OutgoingRecord, type TopicSpec } from '@eventfold/core';
import type { SqliteDatabase } from '../database/openDatabase';
import { partitionMismatch, unknownTopic } from './errors';
import { createLogSchema } from './logSchema';

interface Row {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: string | null;
  timestamp: number;
}

/** A record placed on its partition with its offset, waiting to be written. */
export interface PlacedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly record: OutgoingRecord;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const asBuffer = (v: string | Buffer | null) =>
  v === null ? null : typeof v === 'string' ? Buffer.from(v) : v;

let nextReservation = 0;

/**
 * The log's storage and its offset bookkeeping, for one process. Offsets are reserved when a record is appended
 * (so a transaction knows them before it commits) and rows are written only at commit. Like Kafka's last stable
 * offset, readers see a partition only up to the first offset still reserved by an open transaction, so a
 * transaction that commits late never slips records behind a reader's position. An aborted reservation leaves a
 * gap, as an aborted Kafka transaction does.
 */
export class LogStore {
  private readonly topics = new Map<string, { partitions: number; compacted: boolean }>();
  private readonly next = new Map<string, number>();
  private readonly open = new Map<string, Map<number, number>>();
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly statements;

  constructor(
    readonly db: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    createLogSchema(db);
    for (const t of db.prepare('SELECT name, partitions, compacted FROM topics').all() as {
      name: string;
      partitions: number;
      compacted: number;
    }[])
      this.topics.set(t.name, { partitions: t.partitions, compacted: t.compacted === 1 });
    this.statements = {
      insert: db.prepare(
        'INSERT INTO records (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      compact: db.prepare('DELETE FROM records WHERE topic = ? AND partition = ? AND key = ? AND offset < ?'),
      read: db.prepare(
        'SELECT offset, key, value, headers, timestamp FROM records WHERE topic = ? AND partition = ? AND offset >= ? AND offset < ? ORDER BY offset LIMIT ?',
      ),
      max: db.prepare('SELECT MAX(offset) AS max FROM records WHERE topic = ? AND partition = ?'),
      committed: db.prepare(
        'SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?',
      ),
      commit: db.prepare(
        'INSERT INTO group_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?) ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset',
      ),
    };
  }

  ensureTopics(specs: readonly TopicSpec[]): void {
    const add = this.db.prepare('INSERT INTO topics (name, partitions, compacted) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const spec of specs) {
        const existing = this.topics.get(spec.topic);
        if (existing) {
          if (existing.partitions !== spec.partitions)
            throw partitionMismatch(spec.topic, existing.partitions, spec.partitions);
          continue;
        }
        const compacted = (spec.config['cleanup.policy'] ?? 'delete').split(',').includes('compact');
        add.run(spec.topic, spec.partitions, compacted ? 1 : 0);
        this.topics.set(spec.topic, { partitions: spec.partitions, compacted });
      }
    })();
  }

  partitionCount(topic: string): number | null {
    return this.topics.get(topic)?.partitions ?? null;
  }

  private partitions(topic: string): number {
    const count = this.partitionCount(topic);
    if (count === null) throw unknownTopic(topic);
    return count;
  }

  private nextOffset(topic: string, partition: number): number {
    const key = tp(topic, partition);
    let next = this.next.get(key);
    if (next === undefined) {
      const { max } = this.statements.max.get(topic, partition) as { max: number | null };
      next = max === null ? 0 : max + 1;
      this.next.set(key, next);
    }
    return next;
  }

  /** The first offset readers may not see yet: the first one an open transaction reserved, else the end. */
  /** The offset the next record will get: past every record written, those of open transactions included. */
  writtenEnd(topic: string, partition: number): number {
    return this.nextOffset(topic, partition);
  }

  stableEnd(topic: string, partition: number): number {
    const reserved = this.open.get(tp(topic, partition));
    const end = this.nextOffset(topic, partition);
    return reserved && reserved.size > 0 ? Math.min(end, ...reserved.values()) : end;
  }

  /** Reserves offsets for records (partition by murmur2 of the key unless given); `reservation` tracks them. */
  place(topic: string, records: readonly OutgoingRecord[], reservation: number): PlacedRecord[] {
    const partitions = this.partitions(topic);
    return records.map((record) => {
      const partition =
        record.partition ??
        (record.key === null
          ? Math.floor(Math.random() * partitions)
          : partitionForKey(record.key, partitions));
      if (partition < 0 || partition >= partitions)
        throw unknownTopic(`${topic}[${partition}] (it has ${partitions} partitions)`);
      const key = tp(topic, partition);
      const offset = this.nextOffset(topic, partition);
      this.next.set(key, offset + 1);
      const reserved = this.open.get(key) ?? new Map<number, number>();
      if (!reserved.has(reservation)) reserved.set(reservation, offset);
      this.open.set(key, reserved);
      return { topic, partition, offset, record };
    });
  }

  newReservation(): number {
    return ++nextReservation;
  }

  /** Ends a reservation (after its commit or abort): readers may now go past its offsets. */
  release(reservation: number, placed: readonly PlacedRecord[]): void {
    const touched = new Set<string>();
    for (const p of placed) {
      const key = tp(p.topic, p.partition);
      this.open.get(key)?.delete(reservation);
      touched.add(p.topic);
    }
    for (const topic of touched) this.appended.emit(topic);
  }

  /** Writes placed records (inside the caller's SQLite transaction); compacted topics keep the latest per key. */
  write(placed: readonly PlacedRecord[]): void {
    const now = this.clock();
    for (const { topic, partition, offset, record } of placed) {
      const key = asBuffer(record.key);
      this.statements.insert.run(
        topic,
        partition,
        offset,
        key,
        asBuffer(record.value),
        record.headers ? JSON.stringify(record.headers) : null,
        now,
      );
      if (key !== null && this.topics.get(topic)?.compacted)
        this.statements.compact.run(topic, partition, key, offset);
    }
  }

  commitOffset(groupId: string, topic: string, partition: number, nextOffset: number): void {
    this.statements.commit.run(groupId, topic, partition, nextOffset);
  }

  committed(groupId: string, topic: string, partition: number): number | null {
    const row = this.statements.committed.get(groupId, topic, partition) as
      { next_offset: number } | undefined;
    return row?.next_offset ?? null;
  }

  /** Committed records from `from`, below the stable end, at most `limit`. */
  read(topic: string, partition: number, from: number, limit: number, end?: number): LogRecord[] {
    const to = Math.min(end ?? Number.MAX_SAFE_INTEGER, this.stableEnd(topic, partition));
    return (this.statements.read.all(topic, partition, from, to, limit) as Row[]).map((row) => ({
      key: row.key,
      value: row.value,
      headers: row.headers ? (JSON.parse(row.headers) as Record<string, string>) : {},
      offset: String(row.offset),
      timestamp: String(row.timestamp),
    }));
  }

  /** Resolves on the next commit to `topic`, or after `ms`. */
  waitForAppend(topic: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appended.off(topic, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.appended.on(topic, done);
    });
  }
}
