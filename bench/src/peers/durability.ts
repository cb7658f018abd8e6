/**
 * How durable a peer's acknowledged write is. PostgreSQL's default flushes the WAL to disk before a commit returns
 * (`synchronous_commit=on`), so an acknowledged write survives a crash of the machine. eventfold's Kafka
 * acknowledges once the leader (and in-sync replicas) have the record in the page cache, without fsync
 * (`log.flush.interval.messages` unset), so it survives a crash of the broker's process but not of the machine.
 * `synchronous_commit=off` returns before the flush (the WAL writer flushes within 3 × wal_writer_delay, 600 ms):
 * like Kafka's default, a machine crash may lose acknowledged writes, and unlike it so may a crash of the server's
 * process alone, since the unflushed WAL is in PostgreSQL's own memory rather than the page cache. Both are
 * reported, labelled; the durable default is the headline.
 */
export interface Durability {
  /** As printed: "durable", "async commit". */
  readonly name: string;
  /** PostgreSQL's `synchronous_commit` for the peer's database. */
  readonly synchronousCommit: 'on' | 'off';
}

export const DURABLE: Durability = Object.freeze({ name: 'durable', synchronousCommit: 'on' });
export const ASYNC_COMMIT: Durability = Object.freeze({ name: 'async commit', synchronousCommit: 'off' });
