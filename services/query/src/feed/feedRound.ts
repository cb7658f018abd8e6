import { formatFeedPosition, type FeedPosition } from '@eventfold/users-api';
import type { EventJson, PartitionPage } from '../reading/userReads';

/** What one round of the all-users feed sends, and where it stands after. */
export interface FeedRound {
  /** In send order; `id` is the position once the event is sent: a client resumes after it. */
  readonly sends: readonly { readonly event: EventJson; readonly id: string }[];
  readonly next: Map<number, bigint>;
  /** Every partition was read to its end: wait for the projector before the next round. */
  readonly caughtUp: boolean;
}

/** The partitions with stored events past the position (absent from it: from its start). */
export function partitionsBehind(position: FeedPosition, storedUpTo: ReadonlyMap<number, bigint>): number[] {
  return [...storedUpTo]
    .filter(([partition, upTo]) => upTo > (position.get(partition) ?? -1n))
    .map(([partition]) => partition)
    .sort((a, b) => a - b);
}

/**
 * Merges pages of several partitions into one round: each partition's events keep their log order (all the feed
 * promises); across partitions they go by the time the log stored them. The position moves per event sent, and
 * at the end of the round to where each partition was read (to its end when the page was complete), so that
 * what a filter or the reservation streams left out is not read again.
 */
export function feedRound(
  position: FeedPosition,
  pages: ReadonlyMap<number, { readonly page: PartitionPage; readonly upTo: bigint }>,
): FeedRound {
  const next = new Map(position);
  const events = [...pages.values()]
    .flatMap(({ page }) => page.events)
    .sort(
      (a, b) =>
        a.recordedAt - b.recordedAt ||
        a.partition - b.partition ||
        (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0),
    );
  const sends = events.map((e) => {
    next.set(e.partition, e.offset);
    return { event: e.event, id: formatFeedPosition(next) };
  });
  let caughtUp = true;
  for (const [partition, { page, upTo }] of pages) {
    if (page.complete) next.set(partition, upTo);
    else {
      caughtUp = false;
      if (page.readTo !== null) next.set(partition, page.readTo);
    }
  }
  return { sends, next, caughtUp };
}
