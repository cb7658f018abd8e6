import type { Request, RequestHandler, Response } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import { validateParameter } from '@eventfold/users-api';
import { userStreamId } from '@eventfold/users-domain';
import type { EventJson, UserReads } from '../reading/userReads';
import type { CheckpointSignal } from './checkpointSignal';
import { openEventStream, stopOnClose, streamHandler, type EventStreamOptions } from './eventStream';
import { feedReadsOf, sharedCheckpoints, sharedPage, SharedReads } from './sharedReads';
import { eventFrame, resumeAfter } from './sseFrames';

export interface FollowOptions extends EventStreamOptions {
  readonly reads: () => UserReads;
  readonly checkpoints: CheckpointSignal;
}

/** Events read from the history at a time. */
const PAGE = 200;
/** A follower that hears of no checkpoint move reads its history again after this long anyway. */
export const IDLE_RECHECK_MS = 1000;

/**
 * `GET /v1/users/{id}/events?follow=true`: the user's events as server-sent events, first the history after the
 * resume position (`Last-Event-ID`, else `?after=`, else from the start), then each event as the projector stores
 * it. Served from the read side only: a follower costs the write path nothing. Any other request of the path is
 * the audit trail's (next).
 */
export function followUserEvents(o: FollowOptions): RequestHandler {
  const shared: SharedHistory = new SharedReads();
  const stream = streamHandler('follow stream', (req, res, o) => follow(req, res, o, shared), o);
  return (req, res, next) => {
    if (req.query.follow !== 'true') {
      next();
      return;
    }
    stream(req, res, next);
  };
}

/**
 * The followers of one user share a read of its history: one read per position, move noted and checkpoint read
 * before it (in the key, so that no follower takes an answer older than what it noted for a newer one).
 */
type SharedHistory = SharedReads<{ events: EventJson[]; partition: number | null }>;

async function follow(req: Request, res: Response, o: FollowOptions, shared: SharedHistory): Promise<void> {
  const userId = validateParameter('UserId', req.params.id as string)!;
  const streamId = userStreamId(userId);
  let last = resumeAfter(req.header('last-event-id'), req.query.after as string | undefined);
  const unfollow = o.checkpoints.follow();
  const stop = stopOnClose(res, unfollow);
  const feed = feedReadsOf(o.checkpoints);
  // The stream's partition, once its history has named it: only that partition's moves wake the follower.
  let partition: number | null = null;
  let noted = o.checkpoints.generation(partition);
  /**
   * The partition's offset up to which the follower has read every event of its stream (null: not known): the
   * checkpoint read before a history read that came back short.
   */
  let readUpTo: bigint | null = null;
  const checkpoint = async (): Promise<bigint | null> =>
    partition === null
      ? null
      : ((await sharedCheckpoints(feed, o.reads(), o.checkpoints.generation())).get(partition) ?? null);
  const read = async (): Promise<EventJson[]> => {
    // Read before the history, so every event of the stream at or below it is in the history read after it.
    const before = await checkpoint();
    const { events, partition: of } = await shared.read(
      `${userId}:${last}:${partition}:${noted}:${before}`,
      () => o.reads().eventsAfter(userId, last, PAGE),
    );
    if (partition === null && of !== null) {
      partition = of;
      // What was noted counted any partition's moves: one more read, and from then on only this partition's.
      noted = o.checkpoints.generation(partition) - 1;
    }
    if (events.length < PAGE && before !== null) readUpTo = before;
    return events;
  };
  /**
   * After a move of the partition: true when the slice it moved by holds no event of the stream, so there is
   * nothing to read. The slice is a shared page (the followers of all users read the same), so the followers of
   * the partition's users wait on one read per move, not one history read each.
   */
  const nothingNew = async (): Promise<boolean> => {
    if (partition === null || readUpTo === null) return false;
    const upTo = await checkpoint();
    if (upTo === null) return false;
    if (upTo <= readUpTo) return true;
    const slice = await sharedPage(feed, o.reads(), partition, { after: readUpTo, upTo, limit: PAGE });
    if (!slice.complete || slice.events.some((e) => e.event.streamId === streamId)) return false;
    readUpTo = upTo;
    return true;
  };
  let page = await read();
  if (last === 0 && page.length === 0) {
    unfollow();
    sendProblem(res, problem(404, 'USER_NOT_FOUND', `User ${userId} does not exist`));
    return;
  }
  const stream = openEventStream(res, stop, o, { userId });
  try {
    while (!stop.aborted) {
      for (const event of page) {
        if (!(await stream.write(eventFrame(event)))) return;
        last = event.version;
      }
      if (page.length < PAGE) {
        do {
          await o.checkpoints.changedSince(partition, noted, IDLE_RECHECK_MS, stop);
          if (stop.aborted) return;
          noted = o.checkpoints.generation(partition);
        } while (await nothingNew());
      } else noted = o.checkpoints.generation(partition);
      page = await read();
    }
  } finally {
    stream.close();
  }
}
