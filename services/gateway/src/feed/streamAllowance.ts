/** How many follow streams may be open at a time: per API key, and in all. */
export interface StreamLimits {
  readonly perKey: number;
  readonly total: number;
}

/**
 * Counts the open follow streams. `take` answers a release function, or null when the key (or the gateway) already
 * holds its limit: the caller answers 429. Pure bookkeeping, in memory, per gateway instance.
 */
export class StreamAllowance {
  private readonly open = new Map<string, number>();
  private openTotal = 0;

  constructor(private readonly limits: StreamLimits) {}

  take(keyId: string): (() => void) | null {
    const held = this.open.get(keyId) ?? 0;
    if (held >= this.limits.perKey || this.openTotal >= this.limits.total) return null;
    this.open.set(keyId, held + 1);
    this.openTotal++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.openTotal--;
      const now = (this.open.get(keyId) ?? 1) - 1;
      if (now === 0) this.open.delete(keyId);
      else this.open.set(keyId, now);
    };
  }

  /** Open streams of a key (all keys without one). */
  held(keyId?: string): number {
    return keyId === undefined ? this.openTotal : (this.open.get(keyId) ?? 0);
  }
}
