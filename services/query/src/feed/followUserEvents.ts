import type { Request, RequestHandler, Response } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { Logger } from '@eventfold/observability';
import { validateParameter } from '@eventfold/users-api';
import type { EventJson, UserReads } from '../reading/userReads';
import type { CheckpointSignal } from './checkpointSignal';
import { eventFrame, HEARTBEAT_FRAME, resumeAfter, retryFrame } from './sseFrames';

export interface FollowOptions {
  readonly reads: () => UserReads;
  readonly checkpoints: CheckpointSignal;
  /** A comment line this often keeps an idle stream open through proxies (the issue asks for 15 s). */
  readonly heartbeatMs: number;
  /**
   * Bytes written but not yet taken by the client, at most: past it nothing more is written until the client
   * reads, and a client that does not read within `stallMs` is cut (it resumes with Last-Event-ID).
   */
  readonly maxBufferedBytes: number;
  /** How long a follower past the bound may take to read before it is cut. */
  readonly stallMs: number;
  readonly logger: Logger;
}

/** Events read from the history at a time. */
const PAGE = 200;
/** A follower that hears of no checkpoint move reads its history again after this long anyway. */
const IDLE_RECHECK_MS = 1000;
/** What an EventSource waits before it reconnects after a cut. */
const RECONNECT_MS = 1000;

/**
 * `GET /v1/users/{id}/events?follow=true`: the user's events as server-sent events, first the history after the
 * resume position (`Last-Event-ID`, else `?after=`, else from the start), then each event as the projector stores
 * it. Served from the read side only: a follower costs the write path nothing. Any other request of the path is
 * the audit trail's (next).
 */
export function followUserEvents(o: FollowOptions): RequestHandler {
  return (req, res, next) => {
    if (req.query.follow !== 'true') {
      next();
      return;
    }
    follow(req, res, o).catch((error: unknown) => {
      if (!res.headersSent) {
        next(error);
        return;
      }
      // The stream has begun: the client reconnects and resumes where it stopped.
      o.logger.warn({ err: error }, 'follow stream ended by a failed read');
      res.end();
    });
  };
}

async function follow(req: Request, res: Response, o: FollowOptions): Promise<void> {
  const userId = validateParameter('UserId', req.params.id as string)!;
  let last = resumeAfter(req.header('last-event-id'), req.query.after as string | undefined);
  const stop = new AbortController();
  const unfollow = o.checkpoints.follow();
  res.once('close', () => {
    stop.abort();
    unfollow();
  });
  // The stream's partition, once its history has named it: only that partition's moves wake the follower.
  let partition: number | null = null;
  let noted = o.checkpoints.generation(partition);
  const read = async (): Promise<EventJson[]> => {
    const { events, partition: of } = await o.reads().eventsAfter(userId, last, PAGE);
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
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(retryFrame(RECONNECT_MS));

  /**
   * Writes a frame; past the bound of unread bytes, waits for the client to take them, at most `stallMs`. False
   * when the stream is over: the client left, or it stopped reading and is cut off rather than buffered for
   * without end. So a follower holds at most the bound plus one frame.
   */
  const write = async (frame: string): Promise<boolean> => {
    if (stop.signal.aborted) return false;
    res.write(frame);
    if (res.writableLength <= o.maxBufferedBytes) return true;
    if (await drained(res, o.stallMs, stop.signal)) return !stop.signal.aborted;
    o.logger.info(
      { userId, buffered: res.writableLength, bound: o.maxBufferedBytes },
      'follow stream cut: the client does not read',
    );
    res.destroy();
    return false;
  };
  // Only on an idle stream: anything unread already tells the proxies the stream is alive.
  const heartbeat = setInterval(() => {
    if (res.writableLength === 0) void write(HEARTBEAT_FRAME);
  }, o.heartbeatMs);
  try {
    while (!stop.signal.aborted) {
      for (const event of page) {
        if (!(await write(eventFrame(event)))) return;
        last = event.version;
      }
      if (page.length < PAGE)
        await o.checkpoints.changedSince(partition, noted, IDLE_RECHECK_MS, stop.signal);
      if (stop.signal.aborted) return;
      noted = o.checkpoints.generation(partition);
      page = await read();
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** True once the response's buffer has drained; false after `ms` or when the stream stops. */
function drained(res: Response, ms: number, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      stop.removeEventListener('abort', onStop);
      resolve(value);
    };
    const onDrain = () => done(true);
    const onStop = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    res.on('drain', onDrain);
    stop.addEventListener('abort', onStop, { once: true });
  });
}
