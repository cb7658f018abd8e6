/**
 * The read store port (docs/architecture.md#ports-and-adapters): what the projector writes and the query service
 * reads. MongoDB shards implement it for production (packages/mongo), SQLite for the single-process mode
 * (packages/embedded); one contract suite checks both.
 */

/** An event as read from its partition. */
export interface PositionedEvent<E> {
  readonly event: E;
  readonly partition: number;
  readonly offset: string;
  /** When the log stored the record, epoch ms. */
  readonly recordedAt: number;
}

export interface ApplyOutcome {
  readonly applied: number;
  readonly duplicates: number;
  /** The first event that could not be applied (a gap in its stream); nothing after it was written. */
  readonly failed: { readonly index: number; readonly error: Error } | null;
  /** Milliseconds spent writing, per shard (sparse: shards without writes are missing). */
  readonly shardMillis: readonly number[];
}

/** Bounds of a history read, all optional: events up to a time or a version, after a version, at most `limit`. */
export interface HistoryRange {
  readonly asOf?: Date;
  readonly atVersion?: number;
  readonly afterVersion?: number;
  readonly limit?: number;
}

/**
 * Bounds of a read of one partition's stored events, in log order: offsets after `after` (none: from the start) up
 * to `upTo` inclusive (the partition's checkpoint, below which every event is stored), of these `types` if given,
 * at most `limit`.
 */
export interface PartitionRange {
  readonly after: bigint | null;
  readonly upTo: bigint;
  readonly limit: number;
  readonly types?: readonly string[];
}

/** A search by case-insensitive literal substring of the name, in (nameKey, id) order after a keyset cursor. */
export interface SearchQuery {
  readonly nameContains?: string;
  readonly after?: readonly [nameKey: string, id: string];
  readonly limit: number;
}

export interface ReadStore<E, Doc, HistoryDoc> {
  /** Creates what the store needs (indexes, tables); idempotent. */
  ensureSchema(): Promise<void>;
  /** Applies events of one partition in log order under the version guard, up to the first that cannot apply. */
  apply(events: readonly PositionedEvent<E>[]): Promise<ApplyOutcome>;
  /** Forgets cached documents: another writer may own some streams now. */
  forgetCached(): void;
  /**
   * Looks up the documents of these streams ahead of an `apply` of their events, so that the lookup can run beside
   * other work (the projector fetches the batch's data keys meanwhile); a store that needs no lookup does nothing.
   */
  warm(streamIds: readonly string[]): Promise<void>;
  /** Records that the read model has applied `partition` up to `offset` (inclusive). */
  storeCheckpoint(partition: number, offset: string): Promise<void>;
  /** Every partition's checkpoint: partition → offset of the last record processed. */
  readCheckpoints(): Promise<Map<number, bigint>>;
  findDocument(streamId: string): Promise<Doc | null>;
  /** A stream's stored events in version order, within `range`. */
  history(streamId: string, range: HistoryRange): Promise<HistoryDoc[]>;
  /** One partition's stored events in offset order, within `range` (the all-users follow feed). */
  partitionHistory(partition: number, range: PartitionRange): Promise<HistoryDoc[]>;
  /** At most `limit` documents in (nameKey, id) order. */
  search(query: SearchQuery): Promise<Doc[]>;
  /** Whether each part of the store answers (one entry per shard or file). */
  health(): Promise<Record<string, boolean>>;
  close(): Promise<void>;
}
