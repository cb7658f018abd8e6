interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent round trips to one server (group commit): what callers submit while one round trip runs
 * goes together in the next. An idle coalescer runs a submission at once (no added latency); under load, N
 * concurrent callers cost one round trip instead of N. Every member of a group gets the group's result. When a
 * group of several fails, each member is run again on its own, so that a failure stays with the caller whose
 * items caused it (and a transient one is retried once).
 */
export class Coalescer<T, R> {
  private pending: Waiting<T, R>[] = [];
  private running = false;

  constructor(private readonly run: (items: readonly T[]) => Promise<R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        try {
          const result = await this.run(group.map((w) => w.item));
          for (const w of group) w.resolve(result);
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else for (const w of group) await this.run([w.item]).then(w.resolve, w.reject);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
