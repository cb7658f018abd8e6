import type { UserReadStore } from '@eventfold/users-domain';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wakes the follow streams when the projector moves: one poll of the checkpoints serves every follower, and
 * nothing is polled while nobody follows. `generation` counts the changes seen; a follower notes it before it
 * reads the history and then waits for a later one, so an event projected between its read and its wait is never
 * missed. The first poll after a pause counts as a change for the same reason.
 */
export class CheckpointSignal {
  private seen: string | null = null;
  private generationCount = 0;
  private readonly waiters = new Set<() => void>();
  private followers = 0;
  private running = false;

  constructor(
    private readonly store: () => Pick<UserReadStore, 'readCheckpoints'>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get generation(): number {
    return this.generationCount;
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

  /** Resolves once the checkpoints have changed since `generation`, after `timeoutMs`, or when `stop` aborts. */
  async changedSince(generation: number, timeoutMs: number, stop: AbortSignal): Promise<void> {
    if (this.generationCount > generation || stop.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      stop.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  private async poll(): Promise<void> {
    this.running = true;
    this.seen = null;
    try {
      while (this.followers > 0) {
        try {
          const all = await this.store().readCheckpoints();
          const now = [...all].map(([partition, offset]) => `${partition}:${offset}`).join(',');
          if (now !== this.seen) {
            this.seen = now;
            this.generationCount++;
            for (const wake of [...this.waiters]) wake();
          }
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
}
