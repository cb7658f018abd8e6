/** How long a read's answer is handed to followers that ask the same after it came (ms). */
export const SHARE_KEEP_MS = 1000;
/** Answers kept at most: past it a read is still shared while in flight, but not kept after. */
export const SHARE_MAX_KEPT = 512;

/**
 * One read for every follower that asks the same at once (docs/decisions/0018-follow-feed-from-the-read-side.md):
 * the followers woken by one checkpoint move, at the same position, ask the same page of the same partition (or
 * of the same user's history); the first asks the store, the others get its answer, in flight and for
 * `keepMs` after. A follower behind the others asks for another page, reads on its own, and joins the shared
 * tail once it has caught up (its position is then theirs). The key must name everything the answer depends
 * on: a range below a checkpoint (fixed once stored), or the checkpoint generation the reader noted before it
 * read, so that an answer older than a follower's note is never taken for a newer one. A failed read is not
 * kept: the next asks again.
 */
export class SharedReads<T> {
  private readonly reads = new Map<string, Promise<T>>();

  constructor(
    private readonly keepMs = SHARE_KEEP_MS,
    private readonly maxKept = SHARE_MAX_KEPT,
  ) {}

  read(key: string, read: () => Promise<T>): Promise<T> {
    const shared = this.reads.get(key);
    if (shared) return shared;
    const answer = read();
    this.reads.set(key, answer);
    answer.then(
      () => {
        if (this.reads.size > this.maxKept) this.reads.delete(key);
        else setTimeout(() => this.reads.delete(key), this.keepMs).unref();
      },
      () => this.reads.delete(key),
    );
    return answer;
  }
}
