import type { Listening } from '@eventfold/http';
import { listenFeedTestApp, readStreamText, storedEvent } from '../testing/feedTestApp';
import type { PartitionRange } from '@eventfold/core';
import type { UserReadStore } from '@eventfold/users-domain';

/**
 * Two partitions: partition p holds the events at offsets 0..stored[p]-1, stream `user-…` of user p (a reservation
 * stream at every fifth offset), registered at 0, renamed after; the checkpoint is the last stored offset.
 */
function storeOf(stored: number[]): UserReadStore {
  const user = (p: number) => `user-0f8fad5b-d9cb-469f-a165-7086772895${String(p).padStart(2, '0')}`;
  const event = (partition: number, offset: number) =>
    storedEvent(partition, offset, offset % 5 === 4 ? 'email-00ff' : user(partition), offset + 1);
  return {
    partitionHistory: async (partition: number, range: PartitionRange) => {
      const from = range.after === null ? 0 : Number(range.after) + 1;
      const to = Math.min(Number(range.upTo), stored[partition]! - 1);
      const all = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => event(partition, from + i));
      return all.filter((e) => !range.types || range.types.includes(e.type)).slice(0, range.limit);
    },
    readCheckpoints: async () => new Map(stored.map((count, p) => [p, BigInt(count - 1)])),
  } as unknown as UserReadStore;
}

describe('the all-users follow feed of the query service', () => {
  let server: Listening | null = null;
  afterEach(async () => {
    await server?.close(100);
    server = null;
  });

  const start = async (store: UserReadStore) => {
    server = await listenFeedTestApp(store);
    return `${server.url}/v1/events?follow=true`;
  };

  const read = readStreamText;
  const frames = (text: string) =>
    [...text.matchAll(/^id: (.*)\nevent: .*\ndata: (.*)$/gm)].map((m) => ({
      id: m[1]!,
      eventId: (JSON.parse(m[2]!) as { eventId: string }).eventId,
    }));

  it('sends every partition in log order with positions as ids, wakes on the checkpoints, and resumes after an id', async () => {
    const stored = [3, 2];
    const url = await start(storeOf(stored));
    setTimeout(() => (stored[1] = 6), 100);
    const first = await read(url, {}, (text) => frames(text).length >= 8);
    expect(first.status).toBe(200);
    // Offset 4 of partition 1 is a reservation stream: never sent. Across partitions, by record time.
    expect(frames(first.text)).toEqual([
      { id: '0:0', eventId: '0:0' },
      { id: '0:0,1:0', eventId: '1:0' },
      { id: '0:1,1:0', eventId: '0:1' },
      { id: '0:1,1:1', eventId: '1:1' },
      { id: '0:2,1:1', eventId: '0:2' },
      { id: '0:2,1:2', eventId: '1:2' },
      { id: '0:2,1:3', eventId: '1:3' },
      { id: '0:2,1:5', eventId: '1:5' },
    ]);
    const resumed = await read(url, { 'last-event-id': '0:1,1:0' }, (text) => frames(text).length >= 5);
    expect(frames(resumed.text).map((f) => f.eventId)).toEqual(['1:1', '0:2', '1:2', '1:3', '1:5']);
  });

  it('filters by type and refuses what is not a position, a type or follow=true with 400', async () => {
    const url = await start(storeOf([3, 3]));
    const registered = await read(`${url}&type=UserRegistered`, {}, (text) => frames(text).length >= 2);
    expect(frames(registered.text).map((f) => f.eventId)).toEqual(['0:0', '1:0']);
    expect((await fetch(url, { headers: { 'last-event-id': '0:1,0:2' } })).status).toBe(400);
    expect((await fetch(url, { headers: { 'last-event-id': '3' } })).status).toBe(400);
    expect((await fetch(`${url}&type=UserDeleted`)).status).toBe(400);
    expect((await fetch(url.replace('?follow=true', ''))).status).toBe(400);
  });
});
