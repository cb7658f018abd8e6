import { followEvents, startTestGateway, type ReceivedEvent } from '@eventfold/gateway-service/testing';
import { waitFor } from '@eventfold/testing';
import { newReadSideEnv, startCommand, startProjectorInProcess, startQuery } from '../support/readSide';

jest.setTimeout(240_000);

// The follow feed (issue 22) on the stack: Kafka, the registry and the FerretDB shards, the services in this
// process, the gateway in front. Resuming after cuts without a gap or a repeat, and erasure.

describe('following a user live through the gateway (stack)', () => {
  const env = newReadSideEnv();
  let stop: () => Promise<unknown>;
  let url: string;
  let key: string;
  let reader: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const command = await startCommand(env);
    const projector = await startProjectorInProcess(env);
    const query = await startQuery(env, { FEED_HEARTBEAT_MS: '500' });
    const started = await startTestGateway({
      commandUrl: command.url,
      queryUrl: query.url,
      env: { RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000' },
    });
    url = started.url;
    key = started.keys.everything;
    reader = started.keys.reader;
    stop = () => Promise.all([started.gateway.stop(), command.stop(), projector.stop(), query.stop()]);
  });
  afterAll(() => stop?.());

  it('delivers 200 events exactly once, in order, to a follower cut 5 times at random, then shows the user erased', async () => {
    const registered = await call('POST', '/v1/users', {
      name: 'Stack Follower',
      email: 'stack@example.com',
    });
    expect(registered.status).toBe(201);
    const id = String(registered.body.id);
    const total = 200;
    const writes = (async () => {
      for (let version = 2; version <= total; version++) {
        const answer = await call('PUT', `/v1/users/${id}/name`, { name: `Stack Follower ${version}` });
        if (answer.status !== 200) throw new Error(`rename ${version} answered ${answer.status}`);
      }
    })();
    const feed = `${url}/v1/users/${id}/events?follow=true`;
    const received: number[] = [];
    const cuts = Array.from({ length: 5 }, () => 1 + Math.floor(Math.random() * 40));
    for (const cutAfter of [...cuts, Infinity]) {
      const last = received.at(-1);
      const { status, events } = await followEvents(feed, {
        key,
        ...(last === undefined ? {} : { lastEventId: String(last) }),
        until: (got) => got.length >= cutAfter || received.length + got.length >= total,
      });
      expect(status).toBe(200);
      received.push(...events.map((e) => Number(e.id)));
    }
    await writes;
    expect(received).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    expect((await call('DELETE', `/v1/users/${id}/personal-data`)).status).toBe(200);
    const reread = await waitFor(
      async () => {
        const { events } = await followEvents(feed, { key, until: (got) => got.length >= total + 1 });
        const text = JSON.stringify(events);
        return text.includes('UserForgotten') && !text.includes('Stack Follower') ? events : null;
      },
      { description: 'the followed history erased' },
    );
    expect(reread[0]!.data.data).toMatchObject({ name: '[erased]', email: '[erased]' });
  });

  it('follows every user through cuts without a gap or a repeat, filters by type, erases, and refuses a key without the scope', async () => {
    const ids = await Promise.all(
      ['All One', 'All Two', 'All Three', 'All Four'].map(async (name, i) => {
        const answer = await call('POST', '/v1/users', { name, email: `all${i}.${Date.now()}@example.com` });
        expect(answer.status).toBe(201);
        return String(answer.body.id);
      }),
    );
    const renames = 5;
    const writes = Promise.all(
      ids.map(async (id) => {
        for (let n = 1; n <= renames; n++) {
          const answer = await call('PUT', `/v1/users/${id}/name`, { name: `All Renamed ${n}` });
          if (answer.status !== 200) throw new Error(`rename answered ${answer.status}`);
        }
      }),
    );
    // The whole history from the start (the other tests' users too), cut after 1 to 8 events each time.
    const feed = `${url}/v1/events?follow=true`;
    const mine = new Map(ids.map((id) => [`user-${id}`, [] as number[]]));
    const eventIds: string[] = [];
    // Every version of every one of them, counting what the open connection has received so far.
    const done = (got: readonly ReceivedEvent[] = []) =>
      [...mine].every(
        ([stream, versions]) =>
          versions.length + got.filter((e) => e.data.streamId === stream).length >= renames + 1,
      );
    let last: string | undefined;
    let connections = 0;
    while (!done()) {
      const cutAfter = 1 + Math.floor(Math.random() * 8);
      const { status, contentType, events } = await followEvents(feed, {
        key,
        ...(last === undefined ? {} : { lastEventId: last }),
        until: (got) => got.length >= cutAfter || done(got),
      });
      connections++;
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/event-stream/);
      for (const event of events) {
        eventIds.push(String(event.data.eventId));
        mine.get(String(event.data.streamId))?.push(Number(event.data.version));
        last = event.id!;
      }
    }
    await writes;
    expect(connections).toBeGreaterThan(1);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    for (const versions of mine.values())
      expect(versions).toEqual(Array.from({ length: renames + 1 }, (_, i) => i + 1));
    expect(last).toMatch(/^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$/);

    // Only registrations, and a forgotten user's come out erased.
    expect((await call('DELETE', `/v1/users/${ids[0]}/personal-data`)).status).toBe(200);
    const registrations = await waitFor(
      async () => {
        const { events } = await followEvents(`${feed}&type=UserRegistered`, {
          key,
          until: (got) => ids.every((id) => got.some((e) => e.data.streamId === `user-${id}`)),
        });
        const forgotten = events.find((e) => e.data.streamId === `user-${ids[0]}`);
        return forgotten && JSON.stringify(forgotten.data).includes('[erased]') ? events : null;
      },
      { description: 'the forgotten user erased in the feed' },
    );
    expect(new Set(registrations.map((e) => e.type))).toEqual(new Set(['UserRegistered']));
    expect(registrations.find((e) => e.data.streamId === `user-${ids[0]}`)!.data.data).toMatchObject({
      name: '[erased]',
      email: '[erased]',
    });

    // A key with users:read only may follow a user, not every user.
    const refused = await fetch(feed, { headers: { authorization: `Bearer ${reader}` } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
