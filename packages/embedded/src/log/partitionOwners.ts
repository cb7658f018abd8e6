import {
  appendInTurn,
  backoffDelay,
  sleep,
  type LogRecord,
  type LogTransaction,
  type PartitionOwnerOptions,
  type PartitionOwnership,
} from '@eventfold/core';
import { FencedError } from './errors';
import type { GroupCoordinator, GroupMember } from './groupCoordinator';
import type { LogStore, PlacedRecord } from './logStore';

const IDLE_WAIT_MS = 500;
/** After a failed transaction: 100 ms, doubling, at most 5 s. */
const FAILED_TRANSACTION_BACKOFF = { initialDelayMs: 100, maxDelayMs: 5000 };

interface Owner<State> {
  readonly partition: number;
  active: boolean;
  state: State | null;
  /** The offsets its open transaction holds, if any. */
  open: { readonly reservation: number; readonly placed: PlacedRecord[] } | null;
}

/**
 * Partition owners on the embedded log (docs/decisions/0001-partition-ownership-for-optimistic-concurrency.md): the group's member that owns input partition p is
 * the only one whose transactions for p commit. Each transaction's records and the input offsets are written in
 * one SQLite transaction, and only if the owner still holds p: a member that lost p (a zombie) is fenced.
 */
export class SqlitePartitionOwners<State> implements PartitionOwnership, GroupMember {
  private readonly owners = new Map<number, Owner<State>>();
  private readonly running = new Set<Promise<void>>();
  private joined = false;
  private stopped = false;

  constructor(
    private readonly store: LogStore,
    private readonly groups: GroupCoordinator,
    private readonly o: PartitionOwnerOptions<State>,
    private readonly partitions: number,
  ) {}

  start(): void {
    this.groups.join(this.o.groupId, this.partitions, this);
  }

  assign(partitions: readonly number[]): void {
    for (const [partition, owner] of this.owners) if (!partitions.includes(partition)) this.fence(owner);
    for (const partition of partitions) {
      if (this.owners.has(partition)) continue;
      const owner: Owner<State> = { partition, active: true, state: null, open: null };
      this.owners.set(partition, owner);
      const run = this.run(owner).catch((error: unknown) => {
        if (!this.stopped) this.o.onFatal(error);
      });
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }
    this.joined = true;
    this.o.observer?.owned?.(this.ownedPartitions());
  }

  async readiness(): Promise<{ ready: boolean; detail: string }> {
    if (!this.joined) return { ready: false, detail: 'not yet a member of the group' };
    const pending = [...this.owners.values()].filter((o) => o.state === null).map((o) => o.partition);
    return pending.length > 0
      ? { ready: false, detail: `restoring partitions ${pending.join(', ')}` }
      : { ready: true, detail: `owns partitions [${this.ownedPartitions().join(', ')}]` };
  }

  ownedPartitions(): number[] {
    return [...this.owners.keys()].sort((a, b) => a - b);
  }

  /**
   * Takes the partition away from an owner, and settles its open transaction at once (as Kafka does when a new
   * producer with the same transactional id starts): readers need not wait for the zombie to find out.
   */
  private fence(owner: Owner<State>): void {
    owner.active = false;
    if (this.owners.get(owner.partition) === owner) this.owners.delete(owner.partition);
    if (owner.open) this.store.release(owner.open.reservation, owner.open.placed);
  }

  private isCurrent(owner: Owner<State>): boolean {
    return !this.stopped && owner.active && this.owners.get(owner.partition) === owner;
  }

  private async restore(owner: Owner<State>): Promise<number> {
    const started = Date.now();
    owner.state = null;
    const state = await this.o.handler.restore(owner.partition);
    owner.state = state;
    this.o.observer?.restored?.(owner.partition, Date.now() - started);
    return this.store.committed(this.o.groupId, this.o.inputTopic, owner.partition) ?? 0;
  }

  private async run(owner: Owner<State>): Promise<void> {
    const { inputTopic } = this.o;
    const max = this.o.maxRecordsPerTransaction ?? 500;
    let position = await this.restore(owner);
    let failures = 0;
    while (this.isCurrent(owner)) {
      const records = this.store.read(inputTopic, owner.partition, position, max);
      if (records.length === 0) {
        await this.store.waitForAppend(inputTopic, IDLE_WAIT_MS);
        continue;
      }
      const started = Date.now();
      try {
        await this.transact(owner, records);
        position = Number(records.at(-1)!.offset) + 1;
        failures = 0;
        this.o.observer?.committed?.(owner.partition, Date.now() - started, records.length);
      } catch (error) {
        this.o.observer?.failed?.(owner.partition, error);
        if (error instanceof FencedError) return;
        if (++failures >= (this.o.maxConsecutiveFailures ?? 10)) throw error;
        await sleep(backoffDelay(FAILED_TRANSACTION_BACKOFF, failures, 0));
        if (!this.isCurrent(owner)) return;
        position = await this.restore(owner);
      }
    }
  }

  /** One transaction: the handler's appends and the input offsets, committed only by the current owner. */
  private async transact(owner: Owner<State>, records: readonly LogRecord[]): Promise<void> {
    const reservation = this.store.newReservation();
    const placed: PlacedRecord[] = [];
    owner.open = { reservation, placed };
    const append: LogTransaction['append'] = async (batches) =>
      batches.map(({ topic, records: outgoing }) => {
        const landed = this.store.place(topic, outgoing, reservation);
        placed.push(...landed);
        return landed.map((r) => ({ partition: r.partition, offset: String(r.offset) }));
      });
    // Placing is local: two appends cost nothing more than one.
    const tx: LogTransaction = { append, appendThen: (first, then) => appendInTurn(append, first, then) };
    try {
      const apply = await this.o.handler.process(owner.partition, owner.state!, records, tx);
      const next = Number(records.at(-1)!.offset) + 1;
      this.store.db.transaction(() => {
        if (!this.isCurrent(owner)) throw new FencedError(this.o.groupId, this.o.inputTopic, owner.partition);
        this.store.write(placed);
        this.store.commitOffset(this.o.groupId, this.o.inputTopic, owner.partition, next);
      })();
      apply();
    } finally {
      owner.open = null;
      this.store.release(reservation, placed);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const owner of [...this.owners.values()]) this.fence(owner);
    this.groups.leave(this.o.groupId, this.partitions, this);
    await Promise.allSettled([...this.running]);
  }
}
