import fs from 'node:fs';
import { followEvents, type ReceivedEvent } from '@eventfold/gateway-service/testing';
import { randomName, waitFor, type ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

// The follow feed (issue 22) over the embedded mode as `pnpm start` runs it, through the gateway: resuming after
// cuts without a gap or a repeat, the per-key stream limit, scopes, heartbeats, and erasure.

describe('following a user live through the gateway (embedded mode)', () => {
  const root = temporaryRoot();
  const admin = randomName('admin-key');
  const writer = randomName('writer-key');
  const watcher = randomName('events-key');
  let system: ServiceProcess;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const register = async (name: string) => {
    const answer = await call('POST', '/v1/users', { name, email: `${randomName('u')}@example.com` });
    expect(answer.status).toBe(201);
    return String(answer.body.id);
  };
  const versions = (events: readonly ReceivedEvent[]) => events.map((e) => Number(e.id));

  beforeAll(async () => {
    system = await startEmbeddedProcess(root, {
      env: {
        API_KEYS: `${admin}=users:read+users:write+admin,${writer}=users:write,${watcher}=events:read`,
        RATE_LIMIT_PER_SECOND: '100000',
        RATE_LIMIT_BURST: '100000',
        ADDRESS_RATE_LIMIT_PER_SECOND: '100000',
        ADDRESS_RATE_LIMIT_BURST: '100000',
        FEED_STREAMS_PER_KEY: '3',
        FEED_HEARTBEAT_MS: '300',
      },
    });
  });
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('delivers 1,000 events exactly once, in order, to a follower whose connection is cut 10 times at random', async () => {
    const id = await register('Follow Me');
    const total = 1000;
    const writes = (async () => {
      for (let version = 2; version <= total; version++) {
        const answer = await call('PUT', `/v1/users/${id}/name`, { name: `Follow Me ${version}` });
        if (answer.status !== 200) throw new Error(`rename ${version} answered ${answer.status}`);
      }
    })();
    const url = `${system.url}/v1/users/${id}/events?follow=true`;
    const received: number[] = [];
    // Ten cuts, each after a random number of events, then one connection to the end.
    const cuts = Array.from({ length: 10 }, () => 1 + Math.floor(Math.random() * 150));
    for (const cutAfter of [...cuts, Infinity]) {
      const last = received.at(-1);
      const { status, events } = await followEvents(url, {
        key: admin,
        ...(last === undefined ? {} : { lastEventId: String(last) }),
        until: (got) => got.length >= cutAfter || received.length + got.length >= total,
      });
      expect(status).toBe(200);
      received.push(...versions(events));
    }
    await writes;
    expect(received).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('sends heartbeats, answers with the event stream media type, and resumes from ?after=', async () => {
    const id = await register('Heart Beat');
    await call('PUT', `/v1/users/${id}/name`, { name: 'Heart Beat 2' });
    await waitFor(async () => (await call('GET', `/v1/users/${id}`)).body.version === 2);
    const { status, contentType, events, raw } = await followEvents(
      `${system.url}/v1/users/${id}/events?follow=true&after=1`,
      { key: admin, until: (_got, text) => text.includes(': heartbeat') },
    );
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(events.map((e) => [e.id, e.type, e.data.version])).toEqual([['2', 'UserNameChanged', 2]]);
    expect(raw).toContain(': heartbeat');
  });

  it('holds a key to its stream limit (429), frees a slot when a stream ends, and checks key and scope', async () => {
    const id = await register('Many Streams');
    const url = `${system.url}/v1/users/${id}/events?follow=true`;
    const open = Array.from({ length: 3 }, () => new AbortController());
    const held = open.map((stop) =>
      followEvents(url, { key: admin, until: () => false }, stop.signal).catch(() => undefined),
    );
    // Each holds its slot once its first event arrived: then the fourth is refused.
    await waitFor(async () => (await followEvents(url, { key: admin, until: () => true })).status === 429, {
      description: 'the fourth stream refused',
      timeoutMs: 20_000,
    });
    open[0]!.abort();
    await waitFor(async () => (await followEvents(url, { key: admin, until: () => true })).status === 200, {
      description: 'a slot freed by the closed stream',
      timeoutMs: 20_000,
    });
    for (const stop of open) stop.abort();
    await Promise.all(held);
    expect((await followEvents(url, { key: writer, until: () => true })).status).toBe(403);
    expect((await followEvents(url, { key: 'not-a-key-0123456789', until: () => true })).status).toBe(401);
  });

  it('shows a forgotten user erased to a follower who (re)reads the history', async () => {
    const name = `Forget ${randomName('f')}`;
    const id = await register(name);
    const live = followEvents(`${system.url}/v1/users/${id}/events?follow=true`, {
      key: admin,
      until: (got) => got.some((e) => e.type === 'UserForgotten'),
    });
    expect((await call('DELETE', `/v1/users/${id}/personal-data`)).status).toBe(200);
    expect((await live).events.map((e) => e.type)).toEqual(['UserRegistered', 'UserForgotten']);
    const reread = await waitFor(
      async () => {
        const { events } = await followEvents(`${system.url}/v1/users/${id}/events?follow=true`, {
          key: admin,
          until: (got) => got.length >= 2,
        });
        return events[0]!.data.data && JSON.stringify(events).includes('[erased]') ? events : null;
      },
      { description: 'the history erased' },
    );
    expect(JSON.stringify(reread)).not.toContain(name);
  });

  it('follows every user (GET /v1/events): resumes after a cut with the position, filters by type, checks the scope', async () => {
    const ids = [await register('All A'), await register('All B')];
    expect((await call('PUT', `/v1/users/${ids[0]}/name`, { name: 'All A 2' })).status).toBe(200);
    const streams = new Set(ids.map((id) => `user-${id}`));
    const mine = (events: readonly ReceivedEvent[]) =>
      events.filter((e) => streams.has(String(e.data.streamId)));
    const feed = `${system.url}/v1/events?follow=true&type=UserRegistered,UserNameChanged`;
    // From the start (the other tests' users too), cut once the first of these two users' events has arrived.
    const first = await followEvents(feed, { key: watcher, until: (got) => mine(got).length >= 1 });
    expect(first.status).toBe(200);
    const second = await followEvents(feed, {
      key: watcher,
      lastEventId: first.events.at(-1)!.id!,
      until: (got) => mine([...first.events, ...got]).length >= 3,
    });
    const all = [...first.events, ...second.events];
    expect(new Set(all.map((e) => e.data.eventId)).size).toBe(all.length);
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(['UserRegistered', 'UserNameChanged']));
    for (const id of ids)
      expect(
        mine(all)
          .filter((e) => e.data.streamId === `user-${id}`)
          .map((e) => e.data.version),
      ).toEqual(id === ids[0] ? [1, 2] : [1]);
    const refused = await followEvents(`${system.url}/v1/events?follow=true`, {
      key: writer,
      until: () => true,
    });
    expect(refused.status).toBe(403);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
  });
});
