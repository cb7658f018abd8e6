import { withDeadline } from '@eventfold/core';

/** Where a consistency token points, as far as the log can tell. */
export type TokenReach =
  /** A position the log has: the read may wait for the projector to pass it. */
  | 'reachable'
  /** The log has fewer partitions: no write ever answered this token. */
  | 'no-such-partition'
  /** At or past the partition's end: no write has answered this token yet (the log's end is read after it). */
  | 'past-the-end'
  /** The log did not answer in time: nothing is known, and the token is treated as before (it may wait). */
  | 'unknown';

/**
 * Judges consistency tokens against the ends of users.events (`EventLog.partitionEnds`): a token names the offset
 * of an event a write appended, so a real one is always below its partition's end as read after the write was
 * answered. Ends only grow, so an offset below an end read earlier is settled without asking again; anything
 * else is judged on a read that starts after the question was asked (one at a time, shared by every caller
 * waiting for it), so that a token issued a moment ago is never refused for an end read before its write.
 */
export class LogEnds {
  private known: readonly bigint[] = [];
  private running: Promise<readonly bigint[] | null> | null = null;
  private queued: Promise<readonly bigint[] | null> | null = null;

  constructor(
    private readonly read: () => Promise<readonly bigint[]>,
    private readonly timeoutMs: number,
  ) {}

  async reach(partition: number, offset: bigint): Promise<TokenReach> {
    if (offset < (this.known[partition] ?? 0n)) return 'reachable';
    const ends = await this.readAfterNow();
    if (ends === null) return 'unknown';
    if (partition >= ends.length) return 'no-such-partition';
    return offset < ends[partition]! ? 'reachable' : 'past-the-end';
  }

  /** A read of the ends that starts no earlier than this call: the one running may have started before it. */
  private readAfterNow(): Promise<readonly bigint[] | null> {
    if (!this.running) {
      this.running = this.readOnce().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.readAfterNow();
    });
    return this.queued;
  }

  private async readOnce(): Promise<readonly bigint[] | null> {
    try {
      const ends = await withDeadline(this.read(), this.timeoutMs, 'reading the ends of the event log');
      if (ends.length >= this.known.length) this.known = ends;
      return ends;
    } catch {
      return null;
    }
  }
}
