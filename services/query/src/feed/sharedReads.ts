import type { PartitionPage, UserReads } from '../reading/userReads';
import type { CheckpointSignal } from './checkpointSignal';

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

/** What the followers of both feeds share in one process: the checkpoints after each move and partition pages. */
export interface FeedReads {
  readonly checkpoints: SharedReads<Map<number, bigint>>;
  readonly pages: SharedReads<PartitionPage>;
}

const perSignal = new WeakMap<CheckpointSignal, FeedReads>();

/** The shared reads of the followers woken by `signal` (one per app: both feeds share them). */
export function feedReadsOf(signal: CheckpointSignal): FeedReads {
  let reads = perSignal.get(signal);
  if (!reads) {
    reads = { checkpoints: new SharedReads(), pages: new SharedReads() };
    perSignal.set(signal, reads);
  }
  return reads;
}

/**
 * The checkpoints, read once for every follower that noted `generation` (the signal's count of any move) before
 * asking: a read started after that note is as new as any of them needs.
 */
export function sharedCheckpoints(
  feed: FeedReads,
  reads: UserReads,
  generation: number,
): Promise<Map<number, bigint>> {
  return feed.checkpoints.read(String(generation), () => reads.storedUpTo());
}

/** A page of a partition below its checkpoint, read once for every follower that asks it: fixed once stored. */
export function sharedPage(
  feed: FeedReads,
  reads: UserReads,
  partition: number,
  range: { after: bigint | null; upTo: bigint; limit: number; types?: readonly string[] },
): Promise<PartitionPage> {
  return feed.pages.read(
    `${partition}:${range.after}:${range.upTo}:${range.limit}:${range.types?.join(',') ?? ''}`,
    () => reads.partitionEvents(partition, range),
  );
}
