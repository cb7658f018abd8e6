import http from 'node:http';
import type { Listening } from '@eventfold/http';
import { listenFeedTestApp, readStreamText } from '../testing/feedTestApp';
import type { UserReadStore } from '@eventfold/users-domain';

const user = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** A history of `count()` renames of one user, padded with `padding` characters each; checkpoint = count. */
function storeOf(count: () => number, padding = 0): UserReadStore {
  const event = (version: number) => ({
    _id: `user-${user}:${version}`,
    eventId: `e${version}`,
    streamId: `user-${user}`,
    version,
    type: version === 1 ? 'UserRegistered' : 'UserNameChanged',
    occurredAt: new Date(0),
    recordedAt: new Date(0),
    data: { name: `Name ${version}${'x'.repeat(padding)}` },
    metadata: {},
  });
  return {
    history: async (_id: string, range: { afterVersion?: number; limit?: number }) => {
      const from = (range.afterVersion ?? 0) + 1;
      const to = Math.min(count(), from + (range.limit ?? 1000) - 1);
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => event(from + i));
    },
    readCheckpoints: async () => new Map([[0, BigInt(count())]]),
  } as unknown as UserReadStore;
}

describe('the follow feed of the query service', () => {
  let server: Listening | null = null;
  afterEach(async () => {
    await server?.close(100);
    server = null;
  });

  const start = async (store: UserReadStore, maxBufferedBytes = 1024 * 1024) => {
    server = await listenFeedTestApp(store, maxBufferedBytes);
    return server.url;
  };

  const read = readStreamText;
  const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

  it('sends the history, then new events as the checkpoints move, with heartbeats, and resumes after Last-Event-ID', async () => {
    let count = 3;
    const url = `${await start(storeOf(() => count))}/v1/users/${user}/events?follow=true`;
    setTimeout(() => (count = 5), 100);
    const first = await read(url, {}, (text) => ids(text).length >= 5 && text.includes(': heartbeat'));
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/^text\/event-stream/);
    expect(ids(first.text)).toEqual([1, 2, 3, 4, 5]);
    expect(first.text).toContain('event: UserNameChanged\ndata: {"eventId":"e2"');

    const resumed = await read(url, { 'last-event-id': '4' }, (text) => ids(text).length >= 1);
    expect(ids(resumed.text)).toEqual([5]);
    const after = await read(`${url}&after=2`, {}, (text) => ids(text).length >= 3);
    expect(ids(after.text)).toEqual([3, 4, 5]);
  });

  it('answers 404 for a user without events and 400 for a resume position that is not a version', async () => {
    const url = `${await start(storeOf(() => 0))}/v1/users/${user}/events?follow=true`;
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(url, { headers: { 'last-event-id': 'abc' } })).status).toBe(400);
  });

  it('cuts off a follower that stops reading, holding no more than the bound for it', async () => {
    let count = 1;
    const url = `${await start(
      storeOf(() => count, 4000),
      64 * 1024,
    )}/v1/users/${user}/events?follow=true`;
    // An endless history: a reader that keeps up would never be cut.
    const growth = setInterval(() => (count += 500), 5);
    try {
      const cut = await new Promise<{ received: number }>((resolve, reject) => {
        let received = 0;
        const request = http.get(url, (response) => {
          response.once('data', (chunk: Buffer) => {
            received += chunk.length;
            response.pause(); // reads nothing for far longer than the stall allowance
            // A paused client cannot see its connection end; reading again, it finds the end of a stream that
            // would otherwise go on for ever (the history keeps growing).
            setTimeout(() => response.resume(), 2000);
          });
          response.once('error', () => undefined);
        });
        request.once('socket', (socket) => socket.once('close', () => resolve({ received })));
        request.once('error', () => undefined);
        setTimeout(() => reject(new Error('the follower was never cut off')), 15_000);
      });
      expect(cut.received).toBeGreaterThan(0);
    } finally {
      clearInterval(growth);
    }
  });
});
