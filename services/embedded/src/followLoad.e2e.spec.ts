import fs from 'node:fs';
import { followEvents } from '@eventfold/gateway-service/testing';
import { randomName, waitFor, type ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

// 200 followers on the embedded mode while commands are written (issue 22): the write path's latencies with and
// without them, reported; every follower gets every event of its user once, in order. Reduced scale, as a test:
// the figures are printed for the record, not asserted against a number this machine's load would make flaky.

const FOLLOWERS = 200;
const USERS = 20;
const WRITES = 300;
const CONCURRENCY = 4;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

describe('200 followers while commands are written (embedded mode)', () => {
  const root = temporaryRoot();
  const key = randomName('load-key');
  let system: ServiceProcess;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** Renames round-robin over the users, CONCURRENCY at a time: each one's latency, and the rate achieved. */
  const writeLoad = async (users: readonly string[], round: string) => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < WRITES; i = next++) {
          const sent = performance.now();
          const answer = await call('PUT', `/v1/users/${users[i % users.length]}/name`, {
            name: `Load ${round} ${i}`,
          });
          if (answer.status !== 200) throw new Error(`write ${i} answered ${answer.status}`);
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      perSecond: Math.round(WRITES / seconds),
      p50: Math.round(percentile(latencies, 50)),
      p99: Math.round(percentile(latencies, 99)),
    };
  };
  /** The system's peak resident memory so far (VmHWM), in MiB. */
  const peakMiB = () =>
    Math.round(
      Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${system.child.pid}/status`, 'utf8'))![1]) /
        1024,
    );

  beforeAll(async () => {
    system = await startEmbeddedProcess(root, {
      env: {
        API_KEYS: `${key}=users:read+users:write+admin`,
        RATE_LIMIT_PER_SECOND: '100000',
        RATE_LIMIT_BURST: '100000',
        ADDRESS_RATE_LIMIT_PER_SECOND: '100000',
        ADDRESS_RATE_LIMIT_BURST: '100000',
        FEED_STREAMS_PER_KEY: String(FOLLOWERS + 10),
      },
    });
  });
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps every follower complete and reports the write path with and without them', async () => {
    const users: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const answer = await call('POST', '/v1/users', { name: `Load ${i}`, email: `load${i}@example.com` });
      expect(answer.status).toBe(201);
      users.push(String(answer.body.id));
    }
    const alone = await writeLoad(users, 'alone');
    const memoryAlone = peakMiB();
    // Every user now has 1 + WRITES / USERS events; the followers start after them and expect the next round's.
    const base = 1 + WRITES / USERS;
    await waitFor(async () => (await call('GET', `/v1/users/${users.at(-1)!}`)).body.version === base);
    let open = 0;
    const followers = Array.from({ length: FOLLOWERS }, (_, i) =>
      followEvents(`${system.url}/v1/users/${users[i % USERS]!}/events?follow=true&after=${base}`, {
        key,
        until: (got) => got.length >= WRITES / USERS,
        onOpen: () => open++,
      }),
    );
    // The writes start once every follower is following: what is measured is the cost of followers, not of 200
    // connections opening at once.
    await waitFor(() => open === FOLLOWERS, { description: 'every follower connected' });
    const followed = await writeLoad(users, 'followed');
    const results = await Promise.all(followers);
    const memoryFollowed = peakMiB();
    process.stderr.write(
      `[follow load] writes alone: ${alone.perSecond}/s p50 ${alone.p50} ms p99 ${alone.p99} ms; ` +
        `with ${FOLLOWERS} followers: ${followed.perSecond}/s p50 ${followed.p50} ms p99 ${followed.p99} ms; ` +
        `peak RSS ${memoryAlone} MiB alone, ${memoryFollowed} MiB with followers\n`,
    );
    const expected = Array.from({ length: WRITES / USERS }, (_, i) => String(base + 1 + i));
    for (const { status, events } of results) {
      expect(status).toBe(200);
      expect(events.map((e) => e.id)).toEqual(expected);
    }
  });
});
