import net from 'node:net';
import { Writable } from 'node:stream';
import { readEventLog, startTestCommandService } from '@eventfold/command-service/testing';
import { createLogger } from '@eventfold/observability';
import { randomName } from '@eventfold/testing';
import { publishedAsyncApi, usersOpenApi } from '@eventfold/users-api';
import { checkAgainstDocument } from './testing/contract';
import { GatewayClient } from './testing/gatewayClient';
import { metricSum } from './testing/metricsText';
import { deadBackendUrl } from './testing/standInBackend';
import { actorOf, startTestGateway, type TestKeys } from './testing/testGateway';

jest.setTimeout(180_000);

const unknownUser = '0f8fad5b-d9cb-469f-a165-70867728950e';
const email = () => `${randomName('ada')}@example.com`;

describe('gateway in front of a real command service', () => {
  let command: Awaited<ReturnType<typeof startTestCommandService>>;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: GatewayClient;
  let keys: TestKeys;
  const forwarded = () => metricSum(gateway, 'eventfold_gateway_backend_duration_seconds_count');
  const register = async (headers: Record<string, string> = {}) => {
    const r = await client.call('POST', '/v1/users', {
      key: keys.writer,
      body: { name: 'Ada Lovelace', email: email() },
      headers,
    });
    expect(r.status).toBe(201);
    return r;
  };

  beforeAll(async () => {
    command = await startTestCommandService({ partitions: 3 });
    // The query service is not reachable here: reads show the gateway's 502 (their happy path needs the real one).
    gateway = await startTestGateway({ commandUrl: command.service.url, queryUrl: await deadBackendUrl() });
    client = new GatewayClient(gateway.url);
    keys = gateway.keys;
  });
  afterAll(async () => {
    await gateway?.gateway.stop();
    await command?.service.stop();
    expect(command?.fatal ?? []).toEqual([]);
  });

  describe('writes', () => {
    it('registers a user: 201 with the command service’s body, ETag, Location and X-Consistency-Token', async () => {
      const r = await register();
      expect(r.body).toMatchObject({ version: 1, consistencyToken: expect.stringMatching(/^\d+:\d+$/) });
      expect(r.headers.get('etag')).toBe('"1"');
      expect(r.headers.get('location')).toBe(`/v1/users/${r.body!.id as string}`);
      expect(r.headers.get('x-consistency-token')).toBe(r.body!.consistencyToken);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.headers.get('cache-control')).toBe('no-store');
    });

    it('answers a taken address with the command service’s 409 EMAIL_TAKEN, on registration and on a change', async () => {
      const taken = email();
      const first = await client.call('POST', '/v1/users', {
        key: keys.writer,
        body: { name: 'Ada Lovelace', email: taken },
      });
      expect(first.status).toBe(201);
      const second = await client.call('POST', '/v1/users', {
        key: keys.writer,
        body: { name: 'Ada Byron', email: taken },
      });
      const other = (await register()).body!.id as string;
      const change = await client.call('PUT', `/v1/users/${other}/email`, {
        key: keys.writer,
        body: { email: taken },
      });
      for (const r of [second, change]) {
        expect(r.status).toBe(409);
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(r.body).toMatchObject({
          code: 'EMAIL_TAKEN',
          type: 'https://eventfold.dev/problems/email-taken',
        });
      }
    });

    it('passes X-Request-Id through: the event records it as correlation id, and the key’s public id as actor', async () => {
      const requestId = randomName('gw-request');
      const r = await register({ 'X-Request-Id': requestId });
      expect(r.headers.get('x-request-id')).toBe(requestId);
      const log = await readEventLog(command.topics, command.partitions);
      const event = log.find((e) => e.event.metadata.correlationId === requestId)?.event;
      expect(event?.metadata).toMatchObject({
        actor: actorOf(keys.writer),
        streamId: `user-${String(r.body!.id)}`,
      });
      expect(event!.metadata.actor).not.toContain(keys.writer);
    });

    it('gives a request without a (well-formed) X-Request-Id a new one', async () => {
      const r = await client.call('POST', '/v1/users', {
        key: keys.writer,
        body: { name: 'Ada', email: email() },
        headers: { 'X-Request-Id': 'not valid!' },
      });
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('forwards If-Match: a stale version gets the command service’s 412, a current one succeeds', async () => {
      const { body } = await register();
      const path = `/v1/users/${body!.id as string}/name`;
      const stale = await client.call('PUT', path, {
        key: keys.writer,
        body: { name: 'Ada K' },
        headers: { 'If-Match': '"7"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(stale.body).toMatchObject({ status: 412, code: 'VERSION_MISMATCH', instance: path });
      const current = await client.call('PUT', path, {
        key: keys.writer,
        body: { name: 'Ada K' },
        headers: { 'If-Match': '"1"' },
      });
      expect(current).toMatchObject({ status: 200, body: { version: 2 } });
      expect(current.headers.get('etag')).toBe('"2"');
    });

    it('forwards Idempotency-Key: a repeated registration answers the first result', async () => {
      const headers = { 'Idempotency-Key': randomName('reg') };
      const body = { name: 'Grace Hopper', email: email() };
      const first = await client.call('POST', '/v1/users', { key: keys.writer, body, headers });
      const again = await client.call('POST', '/v1/users', { key: keys.writer, body, headers });
      expect(first.status).toBe(201);
      expect(again).toMatchObject({ status: 201, body: first.body });
    });

    it('forwards Prefer: respond-async: 202 with Location, and the command’s status is readable there by its caller alone', async () => {
      const accepted = await client.call('POST', '/v1/users', {
        key: keys.writer,
        body: { name: 'Ada', email: email() },
        headers: { Prefer: 'respond-async' },
      });
      expect(accepted.status).toBe(202);
      const location = accepted.headers.get('location')!;
      expect(location).toBe(`/v1/commands/${accepted.body!.commandId as string}`);
      const status = await client.call('GET', location, { key: keys.writer });
      expect(status.status).toBe(200);
      expect(['accepted', 'succeeded']).toContain(status.body!.status);
      // Another key's command is none of this key's business: the same 404 as an id never used.
      const other = await client.call('GET', location, { key: keys.reader });
      expect(other.body).toMatchObject({ status: 404, code: 'COMMAND_NOT_FOUND' });
      const unknown = await client.call('GET', '/v1/commands/no-such-command', { key: keys.reader });
      expect(unknown.body).toMatchObject({ status: 404, code: 'COMMAND_NOT_FOUND' });
    });

    it('relays domain outcomes as problem+json: 404 for an unknown user, 422 for a rule', async () => {
      const missing = await client.call('PUT', `/v1/users/${unknownUser}/email`, {
        key: keys.writer,
        body: { email: email() },
      });
      expect(missing.status).toBe(404);
      const { body } = await register();
      const id = body!.id as string;
      const deactivated = await client.call('DELETE', `/v1/users/${id}`, {
        key: keys.writer,
        body: { reason: 'left' },
      });
      expect(deactivated).toMatchObject({ status: 200, body: { version: 2 } });
      const again = await client.call('DELETE', `/v1/users/${id}`, { key: keys.writer });
      expect(again.status).toBe(422);
      expect(again.body).not.toHaveProperty('stack');
      // A bodiless POST sent with `{}` (as many clients do) is accepted.
      const reactivated = await client.call('POST', `/v1/users/${id}/reactivation`, {
        key: keys.writer,
        body: {},
      });
      expect(reactivated).toMatchObject({ status: 200, body: { version: 3 } });
      const corrected = await client.call('POST', `/v1/users/${id}/name-corrections`, {
        key: keys.writer,
        body: { name: 'Ada L', reason: 'typo' },
      });
      expect(corrected).toMatchObject({ status: 200, body: { version: 4 } });
    });
  });

  describe('forgetting a user (admin)', () => {
    it('answers 403 to a users:write key and forwards nothing; an admin key forgets, once', async () => {
      const { body } = await register();
      const path = `/v1/users/${body!.id as string}/personal-data`;
      const before = await forwarded();
      const writer = await client.call('DELETE', path, { key: keys.writer });
      expect(writer).toMatchObject({ status: 403, body: { code: 'INSUFFICIENT_SCOPE' } });
      expect(writer.headers.get('www-authenticate')).toBe(
        'Bearer realm="eventfold", error="insufficient_scope", scope="admin"',
      );
      expect(await forwarded()).toBe(before);
      const forgotten = await client.call('DELETE', path, {
        key: keys.admin,
        body: { reason: 'erasure request' },
        headers: { 'If-Match': '"1"', 'Idempotency-Key': randomName('forget') },
      });
      expect(forgotten).toMatchObject({ status: 200, body: { version: 2 } });
      const again = await client.call('DELETE', path, { key: keys.admin });
      expect(again).toMatchObject({ status: 200, body: { version: 2 } });
      const rename = await client.call('PUT', `/v1/users/${body!.id as string}/name`, {
        key: keys.writer,
        body: { name: 'Ada K' },
      });
      expect(rename).toMatchObject({ status: 422, body: { code: 'USER_FORGOTTEN' } });
    });

    it('answers 404 for an unknown user, and 400 for an unknown field', async () => {
      const path = `/v1/users/${unknownUser}/personal-data`;
      const missing = await client.call('DELETE', path, { key: keys.admin });
      expect(missing).toMatchObject({ status: 404, body: { code: 'USER_NOT_FOUND' } });
      const bad = await client.call('DELETE', path, { key: keys.admin, body: { reason: 'x', name: 'Ada' } });
      expect(bad).toMatchObject({ status: 400, body: { code: 'UNKNOWN_FIELD' } });
    });
  });

  describe('reads', () => {
    it('answers 502 problem+json with Retry-After while the query service cannot be reached', async () => {
      const r = await client.call('GET', '/v1/users?name=ada&limit=5', { key: keys.reader });
      expect(r).toMatchObject({ status: 502, body: { status: 502, code: 'BACKEND_UNREACHABLE' } });
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  describe('API keys and scopes', () => {
    it('answers 401 with a Bearer challenge without a key, and forwards nothing', async () => {
      const before = await forwarded();
      const r = await client.call('POST', '/v1/users', { body: { name: 'Ada', email: email() } });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="eventfold"');
      expect(r.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await forwarded()).toBe(before);
    });

    it.each([
      ['an unknown key', { authorization: 'Bearer not-a-configured-key' }],
      ['another scheme', { authorization: 'Basic YWRhOmxvdmVsYWNl' }],
      ['a malformed header', { authorization: 'Bearer two words' }],
    ])('answers 401 invalid_token for %s', async (_what, headers) => {
      const r = await client.call('GET', `/v1/users/${unknownUser}`, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="eventfold", error="invalid_token"');
    });

    it('answers 403 insufficient_scope when the key lacks the operation’s scope', async () => {
      const write = await client.call('POST', '/v1/users', {
        key: keys.reader,
        body: { name: 'A', email: email() },
      });
      expect(write.status).toBe(403);
      expect(write.headers.get('www-authenticate')).toBe(
        'Bearer realm="eventfold", error="insufficient_scope", scope="users:write"',
      );
      expect(write.body).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
      // admin does not stand in for users:read.
      expect((await client.call('GET', `/v1/users/${unknownUser}`, { key: keys.admin })).status).toBe(403);
      expect((await client.call('GET', '/v1/commands/x', { key: keys.admin })).status).toBe(403);
    });

    it('logs the key’s public id, never the key, and the route template, never the URL', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const logged = await startTestGateway({
        commandUrl: command.service.url,
        queryUrl: await deadBackendUrl(),
        keys,
        logger: createLogger('gateway', 'info', sink),
      });
      try {
        await new GatewayClient(logged.url).call('GET', '/v1/users?name=Lovelace', { key: keys.reader });
        await new GatewayClient(logged.url).call('POST', '/v1/users', {
          key: keys.writer,
          body: { name: 'Ada Lovelace', email: 'ada.lovelace@example.com' },
        });
      } finally {
        await logged.gateway.stop();
      }
      const text = lines.join('');
      expect(text).toContain('"route":"/v1/users"');
      expect(text).toContain(actorOf(keys.reader).slice('key:'.length));
      for (const secret of [keys.reader, keys.writer, 'Lovelace', 'ada.lovelace'])
        expect(text).not.toContain(secret);
    });
  });

  describe('limits and validation', () => {
    it('answers 413 to a body over the limit (16 KiB by default) without forwarding it', async () => {
      const before = await forwarded();
      const r = await client.call('POST', '/v1/users', {
        key: keys.writer,
        body: { name: 'A'.repeat(17 * 1024), email: email() },
      });
      expect(r).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
      expect(await forwarded()).toBe(before);
    });

    it('answers 415 to a body that is not JSON', async () => {
      const r = await client.call('POST', '/v1/users', {
        key: keys.writer,
        body: 'name=Ada',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    });

    it.each([
      [
        'an unknown field',
        'POST',
        '/v1/users',
        { name: 'Ada', email: 'a@b.cc', role: 'admin' },
        {},
        'UNKNOWN_FIELD',
      ],
      ['a missing field', 'POST', '/v1/users', { name: 'Ada' }, {}, 'MISSING_FIELD'],
      ['malformed JSON', 'POST', '/v1/users', '{"name":', {}, 'MALFORMED_JSON'],
      ['a missing body', 'PUT', `/v1/users/${unknownUser}/name`, undefined, {}, 'MISSING_BODY'],
      [
        'a body where none belongs',
        'POST',
        `/v1/users/${unknownUser}/reactivation`,
        { a: 1 },
        {},
        'UNKNOWN_FIELD',
      ],
      [
        'a malformed If-Match',
        'PUT',
        `/v1/users/${unknownUser}/name`,
        { name: 'A' },
        { 'If-Match': '3' },
        'INVALID_HEADER',
      ],
      [
        'a weak If-Match',
        'DELETE',
        `/v1/users/${unknownUser}`,
        undefined,
        { 'If-Match': 'W/"3"' },
        'INVALID_HEADER',
      ],
      [
        'a malformed Idempotency-Key',
        'POST',
        '/v1/users',
        { name: 'A', email: 'a@b.cc' },
        { 'Idempotency-Key': 'a b' },
        'INVALID_HEADER',
      ],
      ['an id that is not a uuid', 'PUT', '/v1/users/42/email', { email: 'a@b.cc' }, {}, 'INVALID_PATH'],
      [
        'a path id with an encoded slash',
        'DELETE',
        '/v1/users/..%2F..%2Fadmin',
        undefined,
        {},
        'INVALID_PATH',
      ],
    ])('answers 400 to %s and forwards nothing', async (_what, method, path, body, headers, code) => {
      const before = await forwarded();
      const r = await client.call(method, path, { key: keys.everything, body, headers });
      expect(r).toMatchObject({ status: 400, body: { status: 400, code } });
      expect(r.body).not.toHaveProperty('stack');
      expect(await forwarded()).toBe(before);
    });

    it.each([
      ['limit over 100', '/v1/users?limit=101', {}, 'INVALID_QUERY'],
      ['limit 0', '/v1/users?limit=0', {}, 'INVALID_QUERY'],
      ['a repeated parameter', '/v1/users?limit=5&limit=6', {}, 'INVALID_QUERY'],
      ['an unknown parameter', '/v1/users?role=admin', {}, 'UNKNOWN_PARAMETER'],
      ['a bad asOf', `/v1/users/${unknownUser}?asOf=yesterday`, {}, 'INVALID_QUERY'],
      [
        'a malformed consistency token',
        `/v1/users/${unknownUser}`,
        { 'X-Consistency-Token': 'abc' },
        'INVALID_HEADER',
      ],
      ['a bad command id', '/v1/commands/a%20b', {}, 'INVALID_PATH'],
    ])('answers 400 to a read with %s', async (_what, path, headers, code) => {
      const r = await client.call('GET', path, { key: keys.reader, headers });
      expect(r).toMatchObject({ status: 400, body: { code } });
    });

    it('answers 400 to a read that carries a body', async () => {
      // fetch will not send a GET with a body: the request goes out as raw bytes.
      const answer = await rawRequest(
        gateway.url,
        [
          'GET /v1/commands/x HTTP/1.1',
          'Host: gateway',
          `Authorization: Bearer ${keys.reader}`,
          'Content-Type: application/json',
          'Content-Length: 2',
          'Connection: close',
          '',
          '{}',
        ].join('\r\n'),
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('BODY_NOT_ALLOWED');
    });

    it('answers 429 with Retry-After once a key has spent its rate and burst; other keys are not affected', async () => {
      const limited = await startTestGateway({
        commandUrl: command.service.url,
        queryUrl: await deadBackendUrl(),
        env: { RATE_LIMIT_PER_SECOND: '3', RATE_LIMIT_BURST: '2' },
      });
      try {
        const c = new GatewayClient(limited.url);
        const answers = [];
        for (let i = 0; i < 8; i++)
          answers.push(await c.call('GET', '/v1/commands/x', { key: limited.keys.reader }));
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
        expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
        const refused = answers.find((a) => a.status === 429)!;
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
        expect((await c.call('GET', '/v1/commands/x', { key: limited.keys.writer })).status).toBe(404);
        client.exchanges.push(...c.exchanges);
      } finally {
        await limited.gateway.stop();
      }
    });
  });

  describe('routing', () => {
    it('matches paths exactly: another case or a trailing slash is no route (404), and nothing is forwarded', async () => {
      const { id } = (await register()).body as { id: string };
      const before = await forwarded();
      const paths = [`/V1/users/${id}`, `/v1/Users/${id}`, `/v1/users/${id}/`, '/v1/users/', '/HEALTHZ'];
      for (const path of paths) {
        const r = await client.call('GET', path, { key: keys.everything });
        expect({ path, status: r.status, code: r.body?.code }).toEqual({
          path,
          status: 404,
          code: 'ROUTE_NOT_FOUND',
        });
        expect(r.headers.get('cache-control')).toBe('no-store');
      }
      expect(await forwarded()).toBe(before);
    });

    it('marks every answer of an operation no-store, set by the route that matched', async () => {
      const r = await client.call('GET', '/v1/commands/unknown', { key: keys.reader });
      expect(r.status).toBe(404);
      expect(r.headers.get('cache-control')).toBe('no-store');
      const refused = await client.call('PATCH', '/v1/users', { key: keys.everything });
      expect(refused.headers.get('cache-control')).toBe('no-store');
      const { id } = (await register()).body as { id: string };
      const changed = await client.call('PUT', `/v1/users/${id}/name`, {
        key: keys.writer,
        body: { name: 'Ada King' },
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('client addresses', () => {
    const limitedGateway = (env: Record<string, string>) =>
      startTestGateway({
        commandUrl: command.service.url,
        queryUrl: 'http://127.0.0.1:1',
        env: { ADDRESS_RATE_LIMIT_PER_SECOND: '3', ADDRESS_RATE_LIMIT_BURST: '2', ...env },
      });

    it('limits each client address before authentication: wrong keys are not tried at full speed', async () => {
      const limited = await limitedGateway({});
      try {
        const c = new GatewayClient(limited.url);
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++)
          statuses.push(
            (await c.call('GET', '/v1/commands/x', { key: `guess-${i}-0123456789abcdef` })).status,
          );
        expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
        const refused = await c.call('GET', '/v1/commands/x', { key: limited.keys.reader });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
        client.exchanges.push(...c.exchanges);
      } finally {
        await limited.gateway.stop();
      }
    });

    it('ignores X-Forwarded-For unless the peer is a trusted proxy (TRUSTED_PROXIES)', async () => {
      const spend = async (url: string, key: string, forwardedFor: string) => {
        const c = new GatewayClient(url);
        const statuses: number[] = [];
        for (let i = 0; i < 8; i++) {
          const r = await c.call('GET', '/v1/commands/x', {
            key,
            headers: { 'x-forwarded-for': forwardedFor },
          });
          statuses.push(r.status);
        }
        return statuses.filter((s) => s === 429).length;
      };
      const untrusting = await limitedGateway({});
      try {
        expect(await spend(untrusting.url, untrusting.keys.reader, '203.0.113.1')).toBeGreaterThan(0);
        // Another forwarded address does not buy a new allowance: the peer (127.0.0.1) is what counts.
        expect(await spend(untrusting.url, untrusting.keys.reader, '203.0.113.2')).toBeGreaterThanOrEqual(5);
      } finally {
        await untrusting.gateway.stop();
      }
      const behindProxy = await limitedGateway({ TRUSTED_PROXIES: 'loopback' });
      try {
        expect(await spend(behindProxy.url, behindProxy.keys.reader, '203.0.113.1')).toBeGreaterThan(0);
        // The client is the last address that is not a trusted proxy: a new one, with its own allowance.
        expect(
          await spend(behindProxy.url, behindProxy.keys.reader, '198.51.100.1, 203.0.113.2'),
        ).toBeLessThanOrEqual(3);
      } finally {
        await behindProxy.gateway.stop();
      }
    });
  });

  describe('operational endpoints', () => {
    it('answers /healthz, and /readyz 503 naming the backend that is not ready', async () => {
      expect((await client.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
      const ready = await client.call('GET', '/readyz');
      expect(ready).toMatchObject({
        status: 503,
        body: { status: 'not-ready', checks: { command: 'ready', query: 'unreachable' } },
      });
    });

    it('serves /metrics to a key with the metrics scope only', async () => {
      expect((await client.call('GET', '/metrics')).status).toBe(401);
      expect((await client.call('GET', '/metrics', { key: keys.everything })).status).toBe(403);
      const scraped = await fetch(`${gateway.url}/metrics`, {
        headers: { authorization: `Bearer ${keys.metrics}` },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('eventfold_gateway_requests_total');
      // A metrics key reads nothing else.
      expect((await client.call('GET', '/v1/commands/x', { key: keys.metrics })).status).toBe(403);
    });

    it('serves the OpenAPI document without a key', async () => {
      expect((await client.call('GET', '/openapi.json')).body).toEqual(
        JSON.parse(JSON.stringify(usersOpenApi)),
      );
    });

    it('serves the AsyncAPI document of the topics without a key', async () => {
      const served = await client.call('GET', '/asyncapi.json');
      expect(served.status).toBe(200);
      expect(served.body).toEqual(JSON.parse(JSON.stringify(publishedAsyncApi)));
    });

    it('counts requests by route template and status, and times them', async () => {
      expect(
        await metricSum(gateway, 'eventfold_gateway_requests_total', {
          method: 'POST',
          route: '/v1/users',
          status: '201',
        }),
      ).toBeGreaterThan(0);
      expect(
        await metricSum(gateway, 'eventfold_gateway_request_duration_seconds_count', {
          route: '/v1/users/{id}/name',
          status: '412',
        }),
      ).toBe(1);
      expect(
        await metricSum(gateway, 'eventfold_gateway_refusals_total', { reason: 'scope' }),
      ).toBeGreaterThan(0);
      expect(
        await metricSum(gateway, 'eventfold_gateway_backend_duration_seconds_count', {
          backend: 'command',
        }),
      ).toBeGreaterThan(0);
    });

    it('answers 405 with Allow on a known path, 404 elsewhere', async () => {
      const r = await client.call('PATCH', '/v1/users', { key: keys.everything });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, POST');
      expect((await client.call('GET', '/v2/users', { key: keys.everything })).status).toBe(404);
    });
  });

  it('answered every exchange above as the OpenAPI document says', () => {
    const checks = client.exchanges.map((e) => ({ e, check: checkAgainstDocument(e) }));
    expect(checks.filter((c) => c.check.violation).map((c) => c.check.violation)).toEqual([]);
    const exercised = new Set(
      checks.filter((c) => c.check.operation).map((c) => `${c.check.operation} ${c.e.status}`),
    );
    // Every operation was reached, and the statuses that matter for each kind of failure were seen.
    for (const expected of [
      'registerUser 201',
      'registerUser 202',
      'registerUser 400',
      'registerUser 401',
      'registerUser 403',
      'registerUser 413',
      'changeUserName 200',
      'changeUserName 412',
      'changeUserEmail 404',
      'deactivateUser 200',
      'deactivateUser 422',
      'reactivateUser 200',
      'correctUserName 200',
      'getCommandStatus 200',
      'getCommandStatus 404',
      'getCommandStatus 429',
      'getUser 401',
      'getUser 403',
      'searchUsers 400',
      'searchUsers 502',
    ]) {
      expect(exercised).toContain(expected);
    }
  });
});

/** Sends bytes as they are (fetch refuses a GET with a body) and returns the raw answer. */
async function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}
