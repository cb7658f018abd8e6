import { followEvents, startTestGateway } from '@eventfold/gateway-service/testing';
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
});
