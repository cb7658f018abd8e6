import {
  backoffDelay,
  sleep,
  type BatchControl,
  type GroupConsumer,
  type GroupConsumerOptions,
} from '@eventfold/core';
import type { GroupCoordinator, GroupMember } from './groupCoordinator';
import type { LogStore } from './logStore';

const MAX_BATCH = 500;
const IDLE_WAIT_MS = 500;
/** After a batch whose handler threw: 200 ms, doubling, at most 5 s. */
const FAILED_BATCH_BACKOFF = { initialDelayMs: 200, maxDelayMs: 5000 };

interface Worker {
  readonly partition: number;
  active: boolean;
  done: Promise<void>;
}

/**
 * A member of a consumer group on the embedded log: one loop per assigned partition, batches of committed records,
 * commits into `group_offsets`. A committing consumer resumes from its committed offset after a batch that did not
 * commit everything, or that threw (after a pause), as a Kafka consumer re-fetches from its resolved offsets.
 */
export class SqliteGroupConsumer implements GroupConsumer, GroupMember {
  private readonly workers = new Map<number, Worker>();
  private isJoined = false;
  private stopped = false;
  private readonly startAtEnd = new Map<number, number>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: LogStore,
    private readonly groups: GroupCoordinator,
    private readonly o: GroupConsumerOptions,
    private readonly partitions: number,
  ) {}

  get joined(): boolean {
    return this.isJoined && !this.stopped;
  }

  start(): void {
    // Where a partition without a committed offset starts when not from the beginning: its end as of joining.
    for (let p = 0; p < this.partitions; p++) this.startAtEnd.set(p, this.store.stableEnd(this.o.topic, p));
    this.groups.join(this.o.groupId, this.partitions, this);
  }

  assign(partitions: readonly number[]): void {
    for (const [partition, worker] of this.workers)
      if (!partitions.includes(partition)) {
        worker.active = false;
        this.workers.delete(partition);
      }
    for (const partition of partitions) {
      if (this.workers.has(partition)) continue;
      const worker: Worker = { partition, active: true, done: Promise.resolve() };
      this.workers.set(partition, worker);
      // A failure outside a batch (the store unreadable) ends the worker: reported as a crash without a restart, as
      // kafkajs reports one, never an unhandled rejection (which would end the process without a word).
      worker.done = this.run(worker).catch((error: unknown) => {
        if (!this.stopped && worker.active) this.o.onCrash?.(error, false);
      });
      this.running.add(worker.done);
      void worker.done.finally(() => this.running.delete(worker.done));
    }
    this.isJoined = true;
    this.o.onJoin?.(partitions);
  }

  private startOffset(partition: number): number {
    const committed =
      this.o.committing === false ? null : this.store.committed(this.o.groupId, this.o.topic, partition);
    return committed ?? (this.o.fromBeginning ? 0 : (this.startAtEnd.get(partition) ?? 0));
  }

  private async run(worker: Worker): Promise<void> {
    const { topic } = this.o;
    const active = () => worker.active && !this.stopped;
    let position = this.startOffset(worker.partition);
    let failures = 0;
    while (active()) {
      const records = this.store.read(topic, worker.partition, position, MAX_BATCH);
      if (records.length === 0) {
        await this.store.waitForAppend(topic, IDLE_WAIT_MS);
        continue;
      }
      let committed: number | null = null;
      const control: BatchControl = {
        isActive: active,
        heartbeat: async () => undefined,
        commit: async (offset) => {
          if (!active()) throw new Error(`partition ${worker.partition} of ${topic} is no longer assigned`);
          const next = Number(offset) + 1;
          if (this.o.committing !== false)
            this.store.commitOffset(this.o.groupId, topic, worker.partition, next);
          committed = next;
        },
      };
      try {
        await this.o.eachBatch(
          {
            topic,
            partition: worker.partition,
            records,
            highWatermark: String(this.store.stableEnd(topic, worker.partition)),
          },
          control,
        );
        failures = 0;
        const end = Number(records.at(-1)!.offset) + 1;
        if (this.o.committing === false) position = end;
        else if (committed !== null) position = committed;
        // Nothing committed: deliver the batch again, after a pause so that a handler that never commits cannot spin.
        if (this.o.committing !== false && committed !== end) await sleep(50);
      } catch (error) {
        failures++;
        this.o.onCrash?.(error, true);
        await sleep(backoffDelay(FAILED_BATCH_BACKOFF, failures, 0));
        position = this.o.committing === false ? position : this.startOffset(worker.partition);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.isJoined = false;
    for (const worker of this.workers.values()) worker.active = false;
    this.workers.clear();
    this.groups.leave(this.o.groupId, this.partitions, this);
    await Promise.allSettled([...this.running]);
  }
}
