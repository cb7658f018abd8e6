import {
  Partitioners,
  type Admin,
  type Consumer,
  type Kafka,
  type KafkaMessage,
  type Producer,
  type Transaction,
} from 'kafkajs';
import {
  retry,
  sleep,
  withDeadline,
  type PartitionOwnerHandler,
  type PartitionOwnerObserver,
} from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import {
  topicPartitionCounts,
  transactionAppender,
  type PartitionCounts,
} from '../eventLog/transactionAppender';
import { OffsetPredictions } from '../eventLog/offsetPredictions';
import { isFenced, isTransient } from './kafkaErrors';
import { TransactionSize } from './transactionSize';
import { IDLE_FETCH_WAIT_MS } from '../client/fetchWait';

export type { PartitionOwnerHandler, PartitionOwnerObserver };

export interface PartitionOwnerOptions<State> {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly inputTopic: string;
  /** Transactional ids are `<prefix>-<partition>`: bound to the input partition, so a new owner fences the old. */
  readonly transactionalIdPrefix: string;
  readonly handler: PartitionOwnerHandler<State>;
  readonly logger: Logger;
  readonly observer?: PartitionOwnerObserver;
  /** Called when the consumer crashed for good: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * The longest a transaction's work (decode, decide, append) may take, default 30 s: past it the attempt is
   * abandoned and tried again smaller. Kafka's own transaction timeout is this plus the commit's deadline
   * (`callTimeoutMs`), so that Kafka never aborts a transaction its owner still waits on: such an abort bumps the
   * producer epoch, and the owner, fenced, would let go of a partition that no rebalance gives anyone else.
   */
  readonly transactionTimeoutMs?: number;
  /** Input messages per transaction: bounds the size of what one transaction writes (Kafka caps a record batch). */
  readonly maxRecordsPerTransaction?: number;
  /**
   * Consecutive failed transactions on one partition before the process gives up (onFatal) instead of looping; only
   * failures that are not transient (Kafka unreachable or slow) count.
   */
  readonly maxConsecutiveFailures?: number;
  /** How long a dead instance keeps its partitions before the group moves them (kafkajs default: 30 s). */
  readonly sessionTimeoutMs?: number;
  /** Partition counts of the topics a handler appends to (for the partitioner); read from the cluster if absent. */
  readonly partitionCounts?: PartitionCounts;
  /**
   * The longest wait for one call to Kafka (connect, commit, offsets), default 30 s; a restore gets ten times
   * that. kafkajs can leave a call unanswered for good after a connection reset: past this the call counts as
   * failed and the partition is restored with a fresh producer, instead of the partition waiting forever.
   */
  readonly callTimeoutMs?: number;
}

/** A producer being let go gets this long to say goodbye: kafkajs's disconnect can wait forever for lost requests. */
const RELEASE_MS = 5000;

interface Owner<State> {
  readonly partition: number;
  readonly generation: number;
  producer: Producer | null;
  state: State | null;
  ready: Promise<void>;
  failures: number;
  /** Input messages in this partition's next transaction: cut after a transaction ran out of time, grown back after. */
  limit: number;
  /** Where this owner's next records land in the partitions it writes (learned; forgotten with the owner). */
  readonly predictions: OffsetPredictions;
}

/**
 * One writer per partition, the Kafka-native way (docs/decisions/0001-partition-ownership-for-optimistic-concurrency.md). A consumer group over the input topic;
 * for each assigned partition a transactional producer whose id is bound to that partition. On every assignment
 * the runner fences the previous owner (InitProducerId with the partition's transactional id, which also settles
 * the previous owner's open transaction), then restores the partition's state, and seeks
 * to the group's committed offset. Each batch is processed in one transaction together with its input offsets.
 * On failure it aborts (or, when the outcome of a commit is unknown, re-initialises), restores and seeks back.
 */
export class PartitionOwnerRunner<State> {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly owners = new Map<number, Owner<State>>();
  private generation = 0;
  private joined = false;
  private stopped = false;
  private readonly partitionCounts: PartitionCounts;
  private readonly heartbeatMs: number;

  constructor(private readonly o: PartitionOwnerOptions<State>) {
    this.heartbeatMs = Math.max(500, Math.floor((o.sessionTimeoutMs ?? 10_000) / 10));
    this.consumer = o.kafka.consumer({
      groupId: o.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
      sessionTimeout: o.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: this.heartbeatMs,
      retry: { retries: 8 },
    });
    this.admin = o.kafka.admin();
    this.partitionCounts = o.partitionCounts ?? topicPartitionCounts(this.admin);
  }

  async start(): Promise<void> {
    await Promise.all([this.consumer.connect(), this.admin.connect()]);
    await this.consumer.subscribe({ topic: this.o.inputTopic, fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.assign(payload.memberAssignment[this.o.inputTopic] ?? []);
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.o.logger.error({ err: payload.error, restart: payload.restart }, 'command consumer crashed');
      if (!payload.restart && !this.stopped) this.o.onFatal(payload.error);
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently ?? 12,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
        const owner = this.owners.get(batch.partition);
        if (!owner) return; // revoked meanwhile
        // A restore can take a while (Kafka away, a long partition): stay in the group meanwhile.
        const restored = owner.ready.then(
          () => true,
          () => true,
        );
        while (!(await Promise.race([restored, sleep(1000).then(() => false)]))) await heartbeat();
        for (let start = 0; start < batch.messages.length;) {
          if (
            isStale() ||
            this.owners.get(batch.partition) !== owner ||
            owner.producer === null ||
            owner.state === null
          )
            return;
          const chunk = batch.messages.slice(start, start + owner.limit);
          // A long transaction (a slow machine, a big chunk) must not cost the group membership: a member that is
          // dropped gets every partition restored, and every transaction in flight aborted by the fencing.
          const beat = setInterval(() => void heartbeat().catch(() => undefined), this.heartbeatMs);
          let committed: boolean;
          try {
            committed = await this.processBatch(owner, chunk, chunk.at(-1)!.offset, resolveOffset);
          } finally {
            clearInterval(beat);
          }
          if (!committed) return;
          start += chunk.length;
          await heartbeat();
        }
      },
    });
  }

  /** Ready once the group assigned partitions (possibly none) and every assigned partition is restored. */
  async readiness(): Promise<{ ready: boolean; detail: string }> {
    if (!this.joined) return { ready: false, detail: 'not yet a member of the consumer group' };
    const pending = [...this.owners.values()].filter((o) => o.state === null).map((o) => o.partition);
    return pending.length > 0
      ? { ready: false, detail: `restoring partitions ${pending.join(', ')}` }
      : {
          ready: true,
          detail: `owns partitions [${[...this.owners.keys()].sort((a, b) => a - b).join(', ')}]`,
        };
  }

  ownedPartitions(): number[] {
    return [...this.owners.keys()].sort((a, b) => a - b);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer.disconnect().catch(() => undefined);
    await Promise.allSettled([...this.owners.values()].map((o) => this.release(o.producer)));
    this.owners.clear();
    await this.admin.disconnect().catch(() => undefined);
  }

  private assign(partitions: readonly number[]): void {
    const generation = ++this.generation;
    for (const [partition, owner] of this.owners) {
      if (!partitions.includes(partition)) {
        this.owners.delete(partition);
        void this.release(owner.producer);
      }
    }
    // A rebalance may have let another instance write to a partition we keep: restore every assigned partition.
    for (const partition of partitions) this.takeOver(partition, generation);
    this.o.observer?.owned?.(this.ownedPartitions());
    this.o.logger.info({ partitions, generation }, 'partitions assigned');
  }

  private takeOver(partition: number, generation: number): void {
    const previous = this.owners.get(partition);
    const owner: Owner<State> = {
      partition,
      generation,
      producer: null,
      state: null,
      ready: Promise.resolve(),
      failures: previous?.failures ?? 0,
      limit: previous?.limit ?? this.maxMessages,
      predictions: new OffsetPredictions(),
    };
    this.owners.set(partition, owner);
    owner.ready = (async () => {
      await previous?.ready.catch(() => undefined);
      await this.release(previous?.producer ?? null);
      // Kafka unreachable (a broker restarting) is a wait, not a reason to die: retry until it answers, this
      // partition moves elsewhere, or the runner stops. Anything else is a bug or a misconfiguration: fatal.
      const gone = () => this.stopped || this.owners.get(partition) !== owner;
      await retry(
        async () => {
          try {
            await this.restore(owner);
          } catch (error) {
            await this.release(owner.producer);
            owner.producer = null;
            throw error;
          }
        },
        {
          initialDelayMs: 400,
          maxDelayMs: 5000,
          jitter: 0.2,
          retryIf: isTransient,
          isStopped: gone,
          onRetry: (error, attempt) =>
            this.o.logger.warn(
              { err: error, partition, attempt },
              'cannot restore the partition yet; retrying',
            ),
        },
      ).catch((error: unknown) => {
        if (!gone()) throw error;
      });
    })();
    owner.ready.catch((error) => {
      this.o.logger.error({ err: error, partition }, 'restore failed');
      this.o.observer?.failed?.(partition, error);
      if (!this.stopped) this.o.onFatal(error);
    });
  }

  /** Fence the previous owner, rebuild the state, and continue from the group's committed offset. */
  private async restore(owner: Owner<State>): Promise<void> {
    const started = Date.now();
    const producer = this.o.kafka.producer({
      transactionalId: `${this.o.transactionalIdPrefix}-${owner.partition}`,
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.workMs + this.callMs,
      // A transaction begun while the coordinator still writes the previous one's markers is answered
      // CONCURRENT_TRANSACTIONS, which kafkajs retries after `initialRetryTime` (300 ms by default, a stall of a
      // whole partition): the markers take milliseconds, so the first retries come soon, and back off from there
      // (as many retries as kafkajs gives an idempotent producer by default, each wait at most 30 s).
      retry: { initialRetryTime: 5, retries: Number.MAX_SAFE_INTEGER },
    });
    const partition = `partition ${owner.partition}`;
    try {
      await withDeadline(producer.connect(), this.callMs, `the connection for ${partition}`);
      // Fencing must come before the state is read. kafkajs's connect() asks for a producer id WITHOUT the
      // transactional id (its idempotent half); only the first transaction() sends InitProducerId with it, which
      // bumps the epoch (the zombie's writes are refused from then on) and returns only once the coordinator has
      // settled the zombie's open transaction. Without this, a commit still in flight (a broker restarting with it
      // prepared) landed after the restore had read the state and the committed offset, and its commands were
      // decided twice. An empty transaction sends nothing more: abort() without partitions is local.
      await withDeadline(
        producer.transaction().then((fence) => fence.abort()),
        this.callMs,
        `InitProducerId for ${partition}`,
      );
    } catch (error) {
      void this.release(producer);
      throw error;
    }
    if (this.owners.get(owner.partition) !== owner) {
      await this.release(producer);
      return;
    }
    owner.producer = producer;
    const state = await withDeadline(
      this.o.handler.restore(owner.partition),
      this.callMs * 10,
      `the restore of ${partition}`,
    );
    const [committed] = await withDeadline(
      this.admin.fetchOffsets({ groupId: this.o.groupId, topics: [this.o.inputTopic] }),
      this.callMs,
      `the committed offset of ${partition}`,
    );
    const offset = committed?.partitions.find((p) => p.partition === owner.partition)?.offset ?? '-1';
    if (this.owners.get(owner.partition) !== owner) return;
    this.consumer.seek({
      topic: this.o.inputTopic,
      partition: owner.partition,
      offset: offset === '-1' ? '0' : offset,
    });
    owner.state = state;
    this.o.observer?.restored?.(owner.partition, Date.now() - started);
    this.o.logger.info(
      { partition: owner.partition, millis: Date.now() - started, from: offset },
      'partition restored',
    );
  }

  private get maxMessages(): number {
    return this.o.maxRecordsPerTransaction ?? 500;
  }

  private get workMs(): number {
    return this.o.transactionTimeoutMs ?? 30_000;
  }

  private get callMs(): number {
    return this.o.callTimeoutMs ?? 30_000;
  }

  /** Disconnects a producer we are done with, waiting a bounded time (its requests may never be answered). */
  private async release(producer: Producer | null): Promise<void> {
    if (!producer) return;
    await withDeadline(producer.disconnect(), RELEASE_MS, 'a producer disconnect').catch(() => undefined);
  }

  /** One transaction: the handler's writes plus the input offsets. Answers whether it committed. */
  private async processBatch(
    owner: Owner<State>,
    messages: readonly KafkaMessage[],
    lastOffset: string,
    resolveOffset: (o: string) => void,
  ): Promise<boolean> {
    const started = Date.now();
    const producer = owner.producer!;
    const partition = `partition ${owner.partition}`;
    const open: { tx: Transaction | null } = { tx: null };
    let committing = false;
    try {
      // Kafka aborts a transaction left open longer than its timeout: no point waiting longer for its steps.
      const apply = await withDeadline(
        (async () => {
          const tx = (open.tx = await producer.transaction());
          // The input offsets are known before anything is decided: they go to the coordinators (two round trips:
          // AddOffsetsToTxn, TxnOffsetCommit) while the handler decodes and decides. The transaction coordinator
          // refuses a second request of the same transaction while one is in flight (CONCURRENT_TRANSACTIONS), so
          // the handler's first append waits for them. Whatever fails, the transaction is aborted as a whole.
          const offsets = tx.sendOffsets({
            consumerGroupId: this.o.groupId,
            topics: [
              {
                topic: this.o.inputTopic,
                partitions: [{ partition: owner.partition, offset: (BigInt(lastOffset) + 1n).toString() }],
              },
            ],
          });
          offsets.catch(() => undefined); // awaited below; a failure fails the transaction there
          const apply = await this.o.handler.process(
            owner.partition,
            owner.state!,
            messages,
            transactionAppender(tx, this.partitionCounts, owner.predictions, offsets),
          );
          await offsets;
          return apply;
        })(),
        this.workMs,
        `the transaction of ${partition}`,
      );
      committing = true;
      await withDeadline(open.tx!.commit(), this.callMs, `the commit of ${partition}`);
      owner.predictions.committed();
      apply();
      resolveOffset(lastOffset);
      owner.failures = 0;
      owner.limit = TransactionSize.afterCommit(owner.limit, this.maxMessages);
      this.o.observer?.committed?.(owner.partition, Date.now() - started, messages.length);
      return true;
    } catch (error) {
      this.o.observer?.failed?.(owner.partition, error);
      if (isFenced(error)) {
        // Another instance owns this partition now; the rebalance that follows will tell us so.
        this.o.logger.warn(
          { partition: owner.partition },
          'fenced by a newer owner: stopping writes to this partition',
        );
        owner.state = null;
        // Only this owner: when it was fenced by our own successor (a takeOver after a rejoin), that one stays, and
        // takes a quarter of the chunk: a member whose event loop was busy with it for a session was dropped from
        // the group, and the same chunk would get it dropped again, and again.
        const successor = this.owners.get(owner.partition);
        if (successor === owner) this.owners.delete(owner.partition);
        else if (successor)
          successor.limit = Math.min(successor.limit, TransactionSize.afterFailure(messages.length));
        await this.release(producer);
        return false;
      }
      // Kafka away or slow (a broker restarting, a coordinator loading, a call past its deadline) is a wait, as in a
      // restore: only failures that say something is wrong with us (a bug, a misconfiguration, a record we cannot
      // handle) count towards giving up. Counted, a cold broker's first minutes failed ten transactions in a row on
      // a slow machine and the service stopped for good, with every partition healthy again soon after.
      if (!isTransient(error) && ++owner.failures >= (this.o.maxConsecutiveFailures ?? 10)) {
        this.o.logger.error(
          { err: error, partition: owner.partition, failures: owner.failures },
          'partition keeps failing: giving up',
        );
        this.o.onFatal(error);
        return false;
      }
      // The same chunk would fail the same way again, and again (seen on a loaded machine: every partition's first
      // 500 commands past the work's deadline, retried for minutes; and a chunk whose produce request or commit runs
      // past its deadline fails as surely, before as well as after the work): whatever failed it, the next attempt
      // takes a quarter of it, down to one message, so that the partition makes progress.
      owner.limit = TransactionSize.afterFailure(messages.length);
      this.o.logger.warn(
        { err: error, partition: owner.partition, committing, nextLimit: owner.limit },
        'transaction failed: restoring the partition',
      );
      // After a commit whose outcome is unknown, aborting could fail or lie: a fresh producer with the same id settles it.
      if (!committing && open.tx?.isActive())
        await withDeadline(open.tx.abort(), RELEASE_MS, `the abort of ${partition}`).catch(() => undefined);
      await this.release(producer);
      if (this.owners.get(owner.partition) === owner) this.takeOver(owner.partition, owner.generation);
      return false;
    }
  }
}
