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
export function followUserEvents(options: FollowOptions): RequestHandler {
  const shared: SharedHistory = { history: new SharedReads(), checkpoints: new SharedReads() };
  const stream = streamHandler('follow stream', (req, res, o) => follow(req, res, o, shared), options);
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
interface SharedHistory {
  readonly history: SharedReads<{ events: EventJson[]; partition: number | null }>;
  /** The checkpoints, read once per move (any partition's) noted before: for the re-check below. */
  readonly checkpoints: SharedReads<Map<number, bigint>>;
}

async function follow(
  req: Request,
  res: Response,
  options: FollowOptions,
  shared: SharedHistory,
): Promise<void> {
  const userId = validateParameter('UserId', req.params.id as string)!;
  let last = resumeAfter(req.header('last-event-id'), req.query.after as string | undefined);
  const unfollow = options.checkpoints.follow();
  const stop = stopOnClose(res, unfollow);
  // The stream's partition, once its history has named it: only that partition's moves wake the follower.
  let partition: number | null = null;
  let noted = options.checkpoints.generation(partition);
  /**
   * The partition's checkpoint read before the last history read that came back short (null: none yet): every
   * event of the stream at or below it was in that read, so while the checkpoint stays there, nothing is to read.
   */
  let readUpTo: bigint | null = null;
  const checkpoint = async (): Promise<bigint | null> =>
    partition === null
      ? null
      : ((
          await shared.checkpoints.read(String(options.checkpoints.generation()), () =>
            options.reads().storedUpTo(),
          )
        ).get(partition) ?? null);
  /** True while the partition's checkpoint has not passed the last read: nothing new is stored below it. */
  const unmoved = async (): Promise<boolean> => {
    if (readUpTo === null) return false;
    const now = await checkpoint();
    return now !== null && now <= readUpTo;
  };
  const read = async (): Promise<EventJson[]> => {
    const before = await checkpoint();
    const { events, partition: of } = await shared.history.read(
      `${userId}:${last}:${partition}:${noted}:${before}`,
      () => options.reads().eventsAfter(userId, last, PAGE),
    );
    readUpTo = events.length < PAGE ? before : null;
    if (partition === null && of !== null) {
      partition = of;
      // What was noted counted any partition's moves: one more read, and from then on only this partition's.
      noted = options.checkpoints.generation(partition) - 1;
    }
    return events;
  };
  let page = await read();
  if (last === 0 && page.length === 0) {
    unfollow();
    sendProblem(res, problem(404, 'USER_NOT_FOUND', `User ${userId} does not exist`));
    return;
  }
  const stream = openEventStream(res, stop, options, { userId });
  try {
    while (!stop.aborted) {
      for (const event of page) {
        if (!(await stream.write(eventFrame(event)))) return;
        last = event.version;
      }
      if (page.length < PAGE) {
        // The once-a-second re-check reads the history only if the partition's checkpoint has moved past the
        // last read: one shared read of the checkpoints, not a history read per follower.
        do {
          await options.checkpoints.changedSince(partition, noted, IDLE_RECHECK_MS, stop);
          if (stop.aborted) return;
          noted = options.checkpoints.generation(partition);
        } while (await unmoved());
      } else noted = options.checkpoints.generation(partition);
      page = await read();
    }
  } finally {
    stream.close();
  }
}
