import http from 'node:http';
import { sleep } from '@eventfold/core';
import { scanFrames } from './sseScan';

/** One follower of a feed, read as a client reads it (or not read at all: `paused`). */
export interface Follower {
  /** The status of the first answer that opened the stream (or of the last refusal, once `retries` ran out). */
  readonly opened: Promise<number>;
  /** How the stream ended for good: the server ended it (and the follower does not reconnect), or the client closed it. */
  readonly ended: Promise<'server' | 'client'>;
  /** Events received so far, over every connection. */
  readonly received: () => number;
  /** Bytes received so far (after `resume`, what lay unread in the buffers). */
  readonly bytes: () => number;
  /** Connections opened again after a refusal (503 while the read model is busy) or a stream the server ended. */
  readonly reconnects: () => number;
  /** Starts reading a paused stream. */
  resume(): void;
  close(): void;
}

/** What an EventSource waits before it connects again; the feeds send `retry: 1000` too. */
const RECONNECT_MS = 1000;

/**
 * Follows `url` (a `?follow=true` feed) on a connection of its own, as an EventSource does: a refusal or a stream
 * the server ends is followed by a new connection after RECONNECT_MS, with the last id received as
 * `Last-Event-ID` (up to `retries` times), so no event is missed. Each event's name and arrival time go to
 * `onEvent`. A `paused` follower stops reading as soon as the headers are in and never reconnects: nothing more is
 * taken from the socket, so the server's bound (FEED_MAX_BUFFERED_BYTES, FEED_STALL_MS) is what ends the stream.
 */
export function follow(
  url: string,
  o: {
    headers?: Record<string, string>;
    lastEventId?: string;
    paused?: boolean;
    retries?: number;
    onEvent?: (name: string | null, at: number) => void;
  } = {},
): Follower {
  let received = 0;
  let bytes = 0;
  let reconnects = 0;
  let lastId = o.lastEventId;
  let closed = false;
  let request: http.ClientRequest | undefined;
  let response: http.IncomingMessage | undefined;
  let markOpened: (status: number) => void = () => undefined;
  let markEnded: (how: 'server' | 'client') => void = () => undefined;
  const opened = new Promise<number>((resolve) => (markOpened = resolve));
  const ended = new Promise<'server' | 'client'>((resolve) => (markEnded = resolve));
  const retriesLeft = () => !o.paused && !closed && reconnects < (o.retries ?? 0);

  /** One connection: resolves when it is over, with whether it was a stream (200) that the server ended. */
  const connect = () =>
    new Promise<number>((resolve) => {
      let pending = '';
      request = http.get(url, {
        agent: false,
        headers: {
          accept: 'text/event-stream',
          ...o.headers,
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
      });
      request.once('error', () => resolve(0));
      request.once('response', (res) => {
        response = res;
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          res.once('end', () => resolve(status));
          return;
        }
        markOpened(200);
        if (o.paused) {
          res.pause();
          res.socket.pause();
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          bytes += Buffer.byteLength(chunk);
          const scan = scanFrames(pending + chunk);
          pending = scan.rest;
          if (scan.lastId !== null) lastId = scan.lastId;
          const at = performance.now();
          for (const name of scan.names) {
            received++;
            o.onEvent?.(name, at);
          }
        });
        res.once('close', () => resolve(200));
      });
    });

  void (async () => {
    for (;;) {
      const status = await connect();
      if (closed) break;
      if (!retriesLeft()) {
        markOpened(status);
        markEnded('server');
        return;
      }
      reconnects++;
      await sleep(RECONNECT_MS);
      if (closed) break;
    }
    markEnded('client');
  })();

  return {
    opened,
    ended,
    received: () => received,
    bytes: () => bytes,
    reconnects: () => reconnects,
    resume() {
      response?.socket?.resume();
      response?.resume();
    },
    close() {
      closed = true;
      request?.destroy();
      markEnded('client');
    },
  };
}
