import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@eventfold/observability';
import { HEARTBEAT_FRAME, retryFrame } from './sseFrames';

/** What every follow stream shares (docs/decisions/0018-follow-feed-from-the-read-side.md). */
export interface EventStreamOptions {
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

/** An open `text/event-stream` answer. */
export interface EventStream {
  /**
   * Writes a frame; past the bound of unread bytes, waits for the client to take them, at most `stallMs`. False
   * when the stream is over: the client left, or it stopped reading and is cut off rather than buffered for
   * without end. So a follower holds at most the bound plus one frame.
   */
  write(frame: string): Promise<boolean>;
  /** Stops the heartbeat; the caller's loop is over. */
  close(): void;
}

/** What an EventSource waits before it reconnects after a cut. */
const RECONNECT_MS = 1000;

/**
 * Watches for the client's leaving: `stop` aborts when the connection closes, and `onClose` runs then (once). Set up
 * before the first read, so that a client that leaves meanwhile is noticed.
 */
export function stopOnClose(res: Response, onClose: () => void): AbortSignal {
  const stop = new AbortController();
  res.once('close', () => {
    stop.abort();
    onClose();
  });
  return stop.signal;
}

/** Answers 200 `text/event-stream` and starts the heartbeat; `context` goes into the log line of a cut. */
export function openEventStream(
  res: Response,
  stop: AbortSignal,
  options: EventStreamOptions,
  context: Record<string, unknown>,
): EventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(retryFrame(RECONNECT_MS));
  const write = async (frame: string): Promise<boolean> => {
    if (stop.aborted) return false;
    res.write(frame);
    if (res.writableLength <= options.maxBufferedBytes) return true;
    if (await drained(res, options.stallMs, stop)) return !stop.aborted;
    options.logger.info(
      { ...context, buffered: res.writableLength, bound: options.maxBufferedBytes },
      'follow stream cut: the client does not read',
    );
    res.destroy();
    return false;
  };
  // Only on an idle stream: anything unread already tells the proxies the stream is alive.
  const heartbeat = setInterval(() => {
    if (res.writableLength === 0) void write(HEARTBEAT_FRAME);
  }, options.heartbeatMs);
  return { write, close: () => clearInterval(heartbeat) };
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

/**
 * The express handler of a follow stream: a failure before the stream began is answered as any error is (a
 * problem), one after it ends the stream, and the client resumes where it stopped.
 */
export function streamHandler<O extends { readonly logger: Logger }>(
  what: string,
  run: (req: Request, res: Response, options: O) => Promise<void>,
  options: O,
): RequestHandler {
  return (req, res, next) => {
    run(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) {
        next(error);
        return;
      }
      options.logger.warn({ err: error }, `${what} ended by a failed read`);
      res.end();
    });
  };
}
