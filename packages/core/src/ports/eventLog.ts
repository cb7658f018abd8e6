/**
 * The event log port (docs/architecture.md#ports-and-adapters): partitioned topics with offsets, transactional appends
 * across topics together with a consumer's offsets, partition-owned consumption with fencing, consumer groups with
 * committed offsets, read_committed visibility and compacted reads. Kafka implements it for production
 * (packages/kafka), SQLite for the single-process mode (packages/embedded); one contract suite checks both.
 */

/** Header values as Kafka carries them. */
export type LogHeaders = { [name: string]: Buffer | string | (Buffer | string)[] | undefined };

/** A record as read from a partition (shaped like kafkajs's KafkaMessage, so that adapter passes records through). */
export interface LogRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: LogHeaders;
  readonly offset: string;
  /** When the log stored the record: epoch ms, as a decimal string. */
  readonly timestamp: string;
}

/** A record to append. Without `partition`, the partition is chosen from the key by Kafka's murmur2 partitioner. */
export interface OutgoingRecord {
  readonly key: string | Buffer | null;
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly partition?: number;
}

export interface TopicRecords {
  readonly topic: string;
  readonly records: readonly OutgoingRecord[];
}

/** Where an appended record landed. */
export interface AppendedRecord {
  readonly partition: number;
  readonly offset: string;
}

/** A topic and its settings; `config` uses Kafka's names (`cleanup.policy: compact` makes it compacted). */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

/** The writes of one open transaction. Calls must not overlap; nothing is visible before the commit. */
export interface LogTransaction {
  /** Appends, in order; answers where each record of each batch will land (same shape as `batches`). */
  append(batches: readonly TopicRecords[]): Promise<AppendedRecord[][]>;
  /**
   * Appends `first`, then the batches `then` builds from where the records of `first` land (a snapshot that names
   * the offset of its stream's last event). The same as two appends, but a log that can tell in advance where
   * `first` will land (Kafka, for the partitions a partition owner alone writes) makes it one.
   */
  appendThen(
    first: readonly TopicRecords[],
    then: (landed: AppendedRecord[][]) => Promise<readonly TopicRecords[]>,
  ): Promise<{ first: AppendedRecord[][]; then: AppendedRecord[][] }>;
}

/** {@link LogTransaction.appendThen} as two appends, for a log that cannot tell where records will land. */
export async function appendInTurn(
  append: LogTransaction['append'],
  first: readonly TopicRecords[],
  then: (landed: AppendedRecord[][]) => Promise<readonly TopicRecords[]>,
): Promise<{ first: AppendedRecord[][]; then: AppendedRecord[][] }> {
  const landed = await append(first);
  return { first: landed, then: await append(await then(landed)) };
}

/**
 * What a partition owner does. `restore` rebuilds a partition's state (the previous owner is already fenced when
 * it runs); `process` handles input records inside an open transaction and answers how to apply its changes to
 * `state`, which is called only once the transaction (its appends and the input offsets) has committed. On any
 * failure the changes are never applied and the partition is restored again.
 */
export interface PartitionOwnerHandler<State> {
  restore(partition: number): Promise<State>;
  process(
    partition: number,
    state: State,
    records: readonly LogRecord[],
    tx: LogTransaction,
  ): Promise<() => void>;
}

export interface PartitionOwnerObserver {
  restored?(partition: number, millis: number): void;
  committed?(partition: number, millis: number, records: number): void;
  failed?(partition: number, error: unknown): void;
  owned?(partitions: readonly number[]): void;
}

export interface PartitionOwnerOptions<State> {
  readonly groupId: string;
  readonly inputTopic: string;
  readonly handler: PartitionOwnerHandler<State>;
  /** Called when the owners cannot go on: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
  readonly observer?: PartitionOwnerObserver;
  readonly maxRecordsPerTransaction?: number;
  readonly maxConsecutiveFailures?: number;
  readonly sessionTimeoutMs?: number;
}

/** Running partition owners: one writer per input partition, fenced when another member takes it over. */
export interface PartitionOwnership {
  /** Ready once the group assigned partitions (possibly none) and every assigned partition is restored. */
  readiness(): Promise<{ ready: boolean; detail: string }>;
  ownedPartitions(): number[];
  stop(): Promise<void>;
}

export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  /** Committed records only (read_committed), in offset order. */
  readonly records: readonly LogRecord[];
  /** The offset the next record of the partition will get, as of this batch. */
  readonly highWatermark: string;
}

export interface BatchControl {
  /** False once the partition was taken away from this member or the consumer is stopping. */
  isActive(): boolean;
  /** Records that everything up to `offset` (inclusive) is processed: the group resumes after it. */
  commit(offset: string): Promise<void>;
  /** Tells the group this member is alive while a batch takes long. */
  heartbeat(): Promise<void>;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topic: string;
  /** Where a partition without a committed offset starts: its beginning, or its end at join time. */
  readonly fromBeginning: boolean;
  /**
   * Handles a batch of one partition. Without a commit, the batch is delivered again (from the committed offset)
   * when the consumer is `committing`, and not again otherwise. A throw is retried after a pause.
   */
  eachBatch(batch: RecordBatch, control: BatchControl): Promise<void>;
  /** False for readers that keep no position (e.g. every instance reading every command result). */
  readonly committing?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  onJoin?(partitions: readonly number[]): void;
  onCrash?(error: unknown, restarting: boolean): void;
}

export interface GroupConsumer {
  /** Whether the group has taken this member in (with or without partitions). */
  readonly joined: boolean;
  stop(): Promise<void>;
}

export interface EventLog {
  /** Creates the topics that do not exist; a topic that exists with another partition count is an error. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** The partition count of a topic, or null when it does not exist. */
  partitionCount(topic: string): Promise<number | null>;
  /**
   * Where each partition of a topic ends now, in partition order: by default the end of what is committed (Kafka's
   * last stable offset), with `readPartition` how a reader finds the tail of a partition. With `written`, the end of
   * everything written (Kafka's high watermark), records of transactions still open or whose commit markers are
   * not written yet included: a record whose write has been answered is always below it, which the committed end,
   * for the moment between a commit's answer and its markers, is not.
   */
  partitionEnds(topic: string, options?: { readonly written?: boolean }): Promise<bigint[]>;
  /** Appends outside any transaction, durably; answers where each record landed. */
  append(batches: readonly TopicRecords[]): Promise<AppendedRecord[][]>;
  /** Calls `onRecord` for every committed record of a partition from `from` to its end as it is now; answers how many. */
  readPartition(
    topic: string,
    partition: number,
    from: bigint,
    onRecord: (record: LogRecord) => void,
  ): Promise<number>;
  /** The latest record per key of a compacted topic's partition, tombstones removed, in offset order. */
  latestByKey(topic: string, partition: number): Promise<LogRecord[]>;
  runPartitionOwners<State>(options: PartitionOwnerOptions<State>): Promise<PartitionOwnership>;
  consume(options: GroupConsumerOptions): Promise<GroupConsumer>;
  close(): Promise<void>;
}
