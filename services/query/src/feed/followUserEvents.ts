import type { Request, RequestHandler, Response } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import { validateParameter } from '@eventfold/users-api';
import type { EventJson, UserReads } from '../reading/userReads';
import type { CheckpointSignal } from './checkpointSignal';
import { openEventStream, stopOnClose, streamHandler, type EventStreamOptions } from './eventStream';
import { SharedReads } from './sharedReads';
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
 * The followers of one user share a read of its history: one read per page, position and checkpoint move noted
 * before the read (in the key, so that no follower takes an answer older than its note for a newer one).
 */
type SharedHistory = SharedReads<{ events: EventJson[]; partition: number | null }>;

async function follow(req: Request, res: Response, o: FollowOptions, shared: SharedHistory): Promise<void> {
  const userId = validateParameter('UserId', req.params.id as string)!;
  let last = resumeAfter(req.header('last-event-id'), req.query.after as string | undefined);
  const unfollow = o.checkpoints.follow();
  const stop = stopOnClose(res, unfollow);
  // The stream's partition, once its history has named it: only that partition's moves wake the follower.
  let partition: number | null = null;
  let noted = o.checkpoints.generation(partition);
  const read = async (): Promise<EventJson[]> => {
    const { events, partition: of } = await shared.read(`${userId}:${last}:${partition}:${noted}`, () =>
      o.reads().eventsAfter(userId, last, PAGE),
    );
    if (partition === null && of !== null) {
      partition = of;
      // What was noted counted any partition's moves: one more read, and from then on only this partition's.
      noted = o.checkpoints.generation(partition) - 1;
    }
    return events;
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
      if (page.length < PAGE) await o.checkpoints.changedSince(partition, noted, IDLE_RECHECK_MS, stop);
      if (stop.aborted) return;
      noted = o.checkpoints.generation(partition);
      page = await read();
    }
  } finally {
    stream.close();
  }
}
