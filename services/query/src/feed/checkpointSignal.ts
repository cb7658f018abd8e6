import { sleep } from '@eventfold/core';
import type { UserReadStore } from '@eventfold/users-domain';

/**
 * Wakes the follow streams when the projector moves: one poll of the checkpoints serves every follower, and
 * nothing is polled while nobody follows. A follower of a stream in partition p is woken only when p's checkpoint
 * moves (a follower that does not know its partition yet: by any move), so a busy log does not make every
 * follower read its history on every write.
 *
 * Generations count the moves seen; a follower notes its partition's before it reads the history and then waits
 * for a later one, so an event projected between its read and its wait is never missed. The first poll after a
 * pause counts as a move of every partition for the same reason.
 */
export class CheckpointSignal {
  private offsets = new Map<number, bigint>();
  /** Moves of every partition at once: the first poll after a pause. */
  private epoch = 0;
  private anyMoves = 0;
  private readonly moves = new Map<number, number>();
  private readonly waiters = new Set<{ partition: number | null; wake: () => void }>();
  private followers = 0;
  private running = false;

  constructor(
    private readonly store: () => Pick<UserReadStore, 'readCheckpoints'>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The moves seen so far of `partition` (null: of any partition). */
  generation(partition: number | null = null): number {
    return partition === null ? this.anyMoves : this.epoch + (this.moves.get(partition) ?? 0);
  }

  /** A follower starts; the signal polls until the last one has called the returned function. */
  follow(): () => void {
    this.followers++;
    if (!this.running) void this.poll();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.followers--;
    };
  }

  /**
   * Resolves once `partition`'s checkpoint (null: any) has moved since `generation`, after `timeoutMs`, or when
   * `stop` aborts.
   */
  async changedSince(
    partition: number | null,
    generation: number,
    timeoutMs: number,
    stop: AbortSignal,
  ): Promise<void> {
    if (this.generation(partition) > generation || stop.aborted) return;
    await new Promise<void>((resolve) => {
      const waiter = {
        partition,
        wake: () => {
          clearTimeout(timer);
          stop.removeEventListener('abort', waiter.wake);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      stop.addEventListener('abort', waiter.wake, { once: true });
      this.waiters.add(waiter);
    });
  }

  private async poll(): Promise<void> {
    this.running = true;
    let first = true;
    try {
      while (this.followers > 0) {
        try {
          this.update(await this.store().readCheckpoints(), first);
          first = false;
        } catch (error) {
          // The followers' own history reads report an unreachable store; the signal only waits and tries again.
          this.onError(error);
        }
        await sleep(this.intervalMs);
      }
    } finally {
      this.running = false;
    }
  }

  private update(now: Map<number, bigint>, first: boolean): void {
    const moved = new Set<number>();
    for (const [partition, offset] of now) {
      if (this.offsets.get(partition) !== offset) moved.add(partition);
    }
    this.offsets = now;
    if (first) this.epoch++;
    for (const partition of moved) this.moves.set(partition, (this.moves.get(partition) ?? 0) + 1);
    if (!first && moved.size === 0) return;
    this.anyMoves++;
    for (const waiter of [...this.waiters]) {
      if (first || waiter.partition === null || moved.has(waiter.partition)) waiter.wake();
    }
  }
}
