import type { Request, RequestHandler, Response } from 'express';
import { ValidationError } from '@eventfold/core';
import { parseFeedPosition, validateParameter } from '@eventfold/users-api';
import type { PartitionPage, UserReads } from '../reading/userReads';
import type { CheckpointSignal } from './checkpointSignal';
import { openEventStream, stopOnClose, streamHandler, type EventStreamOptions } from './eventStream';
import { feedRound, partitionsBehind } from './feedRound';
import { IDLE_RECHECK_MS } from './followUserEvents';
import { SharedReads } from './sharedReads';
import { eventFrame } from './sseFrames';

export interface FollowAllOptions extends EventStreamOptions {
  readonly reads: () => UserReads;
  readonly checkpoints: CheckpointSignal;
}

/** Events read from each partition at a time. */
const PAGE = 200;

/** The event types of `?type=` (comma-separated, each one the domain has: the document says which); none: all. */
export function eventTypesOf(raw: string | undefined): readonly string[] | undefined {
  const value = validateParameter('EventTypes', raw);
  return value === undefined ? undefined : [...new Set(value.split(','))];
}

/**
 * `GET /v1/events?follow=true`: every user's events as server-sent events, each partition in log order, from the
 * position in `Last-Event-ID` (else from the start), then each event as the projector stores it. The id of each
 * event is the feed position after it (per partition, the offset passed), so a reconnecting client misses
 * nothing and gets nothing twice. Read only up to the projector's checkpoints: below them every event is stored,
 * whichever shard holds it, so no later read finds an earlier offset (docs/decisions/0018-follow-feed-from-the-read-side.md).
 */
export function followAllEvents(options: FollowAllOptions): RequestHandler {
  const shared: Shared = { checkpoints: new SharedReads(), pages: new SharedReads() };
  return streamHandler(
    'follow stream of all users',
    (req, res, o) => followAll(req, res, o, shared),
    options,
  );
}

/**
 * What the followers of one process share: the checkpoints read after a move (keyed by the move count noted
 * before, so no follower takes an older read for a newer one), and each page of a partition (keyed by its range,
 * below the checkpoint: fixed once stored). Followers at the same position, woken by the same move, read each
 * moved partition once between them.
 */
interface Shared {
  readonly checkpoints: SharedReads<Map<number, bigint>>;
  readonly pages: SharedReads<PartitionPage>;
}

async function followAll(
  req: Request,
  res: Response,
  options: FollowAllOptions,
  shared: Shared,
): Promise<void> {
  if (validateParameter('FollowAll', req.query.follow as string | undefined) === undefined)
    throw new ValidationError('INVALID_QUERY', 'query follow is required: this path answers a stream only');
  const types = eventTypesOf(req.query.type as string | undefined);
  let position: ReadonlyMap<number, bigint> = parseFeedPosition(
    validateParameter('FeedPosition', req.header('last-event-id')),
  );
  const unfollow = options.checkpoints.follow();
  const stop = stopOnClose(res, unfollow);
  // Noted before each read of the checkpoints: a move between the read and the wait is not missed.
  let noted = options.checkpoints.generation();
  // A read model that cannot answer is refused before the stream opens (503), not with an empty stream.
  const readCheckpoints = () => shared.checkpoints.read(String(noted), () => options.reads().storedUpTo());
  let storedUpTo = await readCheckpoints();
  const stream = openEventStream(res, stop, options, { feed: 'all users' });
  try {
    while (!stop.aborted) {
      const partitions = partitionsBehind(position, storedUpTo);
      const pages = new Map(
        await Promise.all(
          partitions.map(async (partition) => {
            const upTo = storedUpTo.get(partition)!;
            const after = position.get(partition) ?? null;
            const page = await shared.pages.read(
              `${partition}:${after}:${upTo}:${types?.join(',') ?? ''}`,
              () =>
                options
                  .reads()
                  .partitionEvents(partition, { after, upTo, limit: PAGE, ...(types ? { types } : {}) }),
            );
            return [partition, { page, upTo }] as const;
          }),
        ),
      );
      const round = feedRound(position, pages);
      for (const { event, id } of round.sends) {
        if (!(await stream.write(eventFrame(event, id)))) return;
      }
      position = round.next;
      if (round.caughtUp) await options.checkpoints.changedSince(null, noted, IDLE_RECHECK_MS, stop);
      if (stop.aborted) return;
      noted = options.checkpoints.generation();
      storedUpTo = await readCheckpoints();
    }
  } finally {
    stream.close();
  }
}
