import type { Listening } from '@eventfold/http';
import type { PartitionRange } from '@eventfold/core';
import { waitFor } from '@eventfold/testing';
import type { UserReadStore } from '@eventfold/users-domain';
import { listenFeedTestApp, readStreamText, storedEvent } from '../testing/feedTestApp';
import { SharedReads } from './sharedReads';

const user = '0f8fad5b-d9cb-469f-a165-70867728950e';
const FOLLOWERS = 8;

/**
 * One user's stream, `count[p]` events in partition p (offsets 0…count-1, versions across partitions in order:
 * partition 0 first); the checkpoint of p is its last offset. Every read of the history is counted by its range.
 */
function countingStore(count: number[], calls: Map<string, number>): UserReadStore {
  const seen = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
  const event = (partition: number, offset: number) =>
    storedEvent(partition, offset, `user-${user}`, partition * 1000 + offset + 1);
  return {
    partitionHistory: async (partition: number, range: PartitionRange) => {
      seen(`partition ${partition} after ${range.after} up to ${range.upTo}`);
      const from = range.after === null ? 0 : Number(range.after) + 1;
      const to = Math.min(Number(range.upTo), count[partition]! - 1);
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => event(partition, from + i)).slice(
        0,
        range.limit,
      );
    },
    history: async (_id: string, range: { afterVersion?: number; limit?: number }) => {
      seen(`history after ${range.afterVersion ?? 0}`);
      const from = range.afterVersion ?? 0;
      return Array.from({ length: count[0]! }, (_, i) => event(0, i))
        .filter((e) => e.version > from)
        .slice(0, range.limit ?? 1000);
    },
    readCheckpoints: async () => {
      seen('checkpoints');
      return new Map(count.map((n, p) => [p, BigInt(n - 1)]));
    },
  } as unknown as UserReadStore;
}

describe('reads shared by the followers of one process', () => {
  let server: Listening | null = null;
  afterEach(async () => {
    await server?.close(100);
    server = null;
  });

  const frames = (text: string) => [...text.matchAll(/^id: .*$/gm)].length;

  /**
   * FOLLOWERS streams of `url`, each read until it holds `then` frames; `move` runs once all hold `first`. What
   * each received, and the reads of the store after the move.
   */
  async function followAll(
    url: string,
    calls: Map<string, number>,
    first: number,
    move: () => void,
    then: number,
  ): Promise<{ received: number[]; after: (key: string) => number }> {
    const received = Array.from({ length: FOLLOWERS }, () => 0);
    const streams = received.map((_, i) =>
      readStreamText(url, {}, (text) => (received[i] = frames(text)) >= then),
    );
    await waitFor(async () => received.every((n) => n >= first), { timeoutMs: 20_000, intervalMs: 10 });
    const before = new Map(calls);
    move();
    await Promise.all(streams);
    return { received, after: (key) => (calls.get(key) ?? 0) - (before.get(key) ?? 0) };
  }

  it('one read of each moved partition per checkpoint move, however many followers of all users wait there', async () => {
    const count = [3, 2];
    const calls = new Map<string, number>();
    server = await listenFeedTestApp(countingStore(count, calls));
    const url = `${server.url}/v1/events?follow=true`;
    const { received, after } = await followAll(url, calls, 5, () => (count[0] = 6), 8);

    expect(received).toEqual(Array.from({ length: FOLLOWERS }, () => 8));
    // Partition 0 moved from offset 2 to 5: its new slice read once for the eight; partition 1 did not move.
    expect(after('partition 0 after 2 up to 5')).toBe(1);
    expect([...calls.keys()].filter((k) => k.startsWith('partition 1 after 1'))).toEqual([]);
  });

  it('one read of a user’s history per move for every follower of that user at the same version', async () => {
    const count = [3];
    const calls = new Map<string, number>();
    server = await listenFeedTestApp(countingStore(count, calls));
    const url = `${server.url}/v1/users/${user}/events?follow=true`;
    const { received, after } = await followAll(url, calls, 3, () => (count[0] = 5), 5);

    expect(received).toEqual(Array.from({ length: FOLLOWERS }, () => 5));
    // One read for the eight, woken by the move; at most one more, by a follower whose once-a-second re-check
    // fell between the move and the next poll of the checkpoints (its key is the move count it noted before).
    expect(after('history after 3')).toBeGreaterThanOrEqual(1);
    expect(after('history after 3')).toBeLessThanOrEqual(2);
  });

  it('idle followers of a user re-check the checkpoints once a second, not the history', async () => {
    const count = [3];
    const calls = new Map<string, number>();
    const historyReads: number[] = [];
    const store = countingStore(count, calls);
    const history = store.history.bind(store);
    store.history = async (...args: Parameters<typeof history>) => {
      historyReads.push(performance.now());
      return history(...args);
    };
    server = await listenFeedTestApp(store);
    const url = `${server.url}/v1/users/${user}/events?follow=true`;
    const received = Array.from({ length: FOLLOWERS }, () => 0);
    const streams = received.map((_, i) =>
      readStreamText(url, {}, (text) => (received[i] = frames(text)) >= 4),
    );
    await waitFor(async () => received.every((n) => n >= 3), { timeoutMs: 20_000, intervalMs: 10 });
    // A second after the last follower caught up, past its own reads; then past the re-check twice over.
    const settled = performance.now() + 1000;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(historyReads.filter((at) => at > settled)).toEqual([]);
    count[0] = 4;
    await Promise.all(streams);
  });

  it('shares a read in flight and for a while after, never a failed one', async () => {
    const shared = new SharedReads<number>(50);
    let reads = 0;
    const read = async () => ++reads;
    expect(
      await Promise.all([shared.read('a', read), shared.read('a', read), shared.read('b', read)]),
    ).toEqual([1, 1, 2]);
    expect(await shared.read('a', read)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await shared.read('a', read)).toBe(3);

    const failing = () => Promise.reject(new Error('store down'));
    await expect(shared.read('c', failing)).rejects.toThrow('store down');
    expect(await shared.read('c', read)).toBe(4);
  });
});
