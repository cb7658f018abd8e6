import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '@eventfold/observability';
import { waitFor } from '@eventfold/testing';
import { checkAgainstDocument } from './testing/contract';
import { GatewayClient } from './testing/gatewayClient';
import { metricSum } from './testing/metricsText';
import { answer, deadBackendUrl, standInBackend } from './testing/standInBackend';
import { actorOf, startTestGateway } from './testing/testGateway';

// Backends that are down, slow or broken, played by tiny real HTTP servers (the happy paths use the real services).

const user = '0f8fad5b-d9cb-469f-a165-70867728950e';
type StandIn = Awaited<ReturnType<typeof standInBackend>>;
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('gateway in front of backends that fail', () => {
  const opened: { stop(): Promise<void> }[] = [];
  const exchanges: GatewayClient['exchanges'] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.stop()));
  });
  afterAll(() => {
    expect(exchanges.map(checkAgainstDocument).filter((c) => c.violation)).toEqual([]);
  });

  const backend = async (handler: Handler): Promise<StandIn> => {
    const standIn = await standInBackend(handler);
    opened.push({ stop: () => standIn.close() });
    return standIn;
  };
  const gatewayFor = async (
    backends: { command?: string; query?: string },
    env: Record<string, string> = {},
    logger?: ReturnType<typeof createLogger>,
  ) => {
    const started = await startTestGateway({
      commandUrl: backends.command ?? (await deadBackendUrl()),
      queryUrl: backends.query ?? (await deadBackendUrl()),
      env,
      ...(logger ? { logger } : {}),
    });
    opened.unshift({ stop: () => started.gateway.stop() });
    const client = new GatewayClient(started.url);
    const call = async (...args: Parameters<GatewayClient['call']>) => {
      const result = await client.call(...args);
      exchanges.push(client.exchanges.at(-1)!);
      return result;
    };
    return { ...started, call };
  };

  it('answers 502 when the command service refuses connections, with Retry-After', async () => {
    const gw = await gatewayFor({});
    const r = await gw.call('POST', '/v1/users', {
      key: gw.keys.writer,
      body: { name: 'Ada', email: 'a@b.cc' },
    });
    expect(r).toMatchObject({ status: 502, body: { code: 'BACKEND_UNREACHABLE' } });
    expect(r.headers.get('retry-after')).toBe('1');
  });

  it('answers 504 within the deadline when a backend accepts but never answers', async () => {
    const silent = await backend((req) => req.resume());
    const gw = await gatewayFor({ command: silent.url, query: silent.url }, { UPSTREAM_TIMEOUT_MS: '300' });
    const started = Date.now();
    const read = await gw.call('GET', `/v1/users/${user}`, { key: gw.keys.reader });
    expect(read).toMatchObject({ status: 504, body: { code: 'BACKEND_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(2000);
    const write = await gw.call('PUT', `/v1/users/${user}/name`, {
      key: gw.keys.writer,
      body: { name: 'A' },
    });
    expect(write).toMatchObject({ status: 504, body: { code: 'BACKEND_TIMEOUT' } });
    expect(write.body!.detail).toContain('Idempotency-Key');
  });

  it('answers 504 when a backend sends its headers but stalls in the body', async () => {
    const stalling = await backend((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).write('{"id":');
    });
    const gw = await gatewayFor({ query: stalling.url }, { UPSTREAM_TIMEOUT_MS: '300' });
    expect((await gw.call('GET', `/v1/users/${user}`, { key: gw.keys.reader })).status).toBe(504);
  });

  it('cancels the backend request when the client leaves', async () => {
    const received: string[] = [];
    const closed: string[] = [];
    const silent = await backend((req, res) => {
      received.push(req.url ?? '');
      req.resume();
      res.once('close', () => closed.push(req.url ?? ''));
    });
    const gw = await gatewayFor({ query: silent.url }, { UPSTREAM_TIMEOUT_MS: '60000' });
    const abort = new AbortController();
    const pending = fetch(`${gw.url}/v1/users/${user}`, {
      headers: { authorization: `Bearer ${gw.keys.reader}` },
      signal: abort.signal,
    }).catch(() => 'aborted');
    await waitFor(() => received.length === 1, {
      timeoutMs: 5000,
      description: 'the request to reach the backend',
    });
    abort.abort();
    expect(await pending).toBe('aborted');
    await waitFor(() => closed.length === 1, {
      timeoutMs: 5000,
      description: 'the backend request to close',
    });
    expect(closed).toEqual([`/v1/users/${user}`]);
  });

  it('hides a backend’s 500 and its stack behind a 502 without details', async () => {
    const broken = await backend(
      answer(500, {
        type: 'x',
        title: 'Internal',
        status: 500,
        detail: 'at Foo (/srv/app.js:1:1)',
        stack: 'Error\n at',
      }),
    );
    const gw = await gatewayFor({ command: broken.url });
    const r = await gw.call('DELETE', `/v1/users/${user}`, { key: gw.keys.writer });
    expect(r).toMatchObject({ status: 502, body: { code: 'BACKEND_ERROR' } });
    expect(JSON.stringify(r.body)).not.toMatch(/stack|app\.js|Foo/);
  });

  it('answers 502 when a backend answers something that is not JSON', async () => {
    const html = await backend((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>proxy error</h1>');
    });
    const gw = await gatewayFor({ query: html.url });
    expect((await gw.call('GET', `/v1/users/${user}`, { key: gw.keys.reader })).body).toMatchObject({
      status: 502,
      code: 'BACKEND_ERROR',
    });
  });

  it('answers 502 rather than relay an answer larger than MAX_RESPONSE_BYTES', async () => {
    const huge = await backend(answer(200, { items: [], nextCursor: 'x'.repeat(4096) }));
    const gw = await gatewayFor({ query: huge.url }, { MAX_RESPONSE_BYTES: '1024' });
    expect((await gw.call('GET', '/v1/users', { key: gw.keys.reader })).status).toBe(502);
  });

  it('relays a backend’s 503 with Retry-After, and sends it the read headers, request id, trace and actor', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const lagging = await backend((req, res) => {
      seen.push(req.headers);
      answer(
        503,
        {
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          code: 'NOT_CONSISTENT_YET',
          stack: 'x',
        },
        { 'content-type': 'application/problem+json', 'retry-after': '2', 'x-internal': 'secret' },
      )(req, res);
    });
    const gw = await gatewayFor({ query: lagging.url });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const r = await gw.call('GET', `/v1/users/${user}/events?limit=10`, {
      key: gw.keys.reader,
      headers: {
        'X-Consistency-Token': '3:1042',
        Prefer: 'allow-stale',
        'X-Request-Id': 'read-1',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        'X-Eventfold-Actor': 'key:forged',
        Cookie: 'session=1',
      },
    });
    expect(r).toMatchObject({ status: 503, body: { code: 'NOT_CONSISTENT_YET' } });
    expect(r.body).not.toHaveProperty('stack');
    expect(r.headers.get('retry-after')).toBe('2');
    expect(r.headers.get('x-internal')).toBeNull();
    expect(r.headers.get('x-request-id')).toBe('read-1');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      'x-consistency-token': '3:1042',
      prefer: 'allow-stale',
      'x-request-id': 'read-1',
      'x-eventfold-actor': actorOf(gw.keys.reader),
      traceparent: expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`)),
    });
    expect(seen[0]!.traceparent).not.toContain('00f067aa0ba902b7');
    expect(seen[0]).not.toHaveProperty('cookie');
    expect(seen[0]).not.toHaveProperty('authorization');
  });

  it('refuses an answer outside the document with 502 in enforce mode', async () => {
    const offContract = await backend(
      answer(200, { id: user, name: 'x', email: 'y', status: 'active', version: 1, password: 'leak' }),
    );
    const gw = await gatewayFor({ query: offContract.url });
    const r = await gw.call('GET', `/v1/users/${user}`, { key: gw.keys.reader });
    expect(r).toMatchObject({ status: 502, body: { code: 'BACKEND_CONTRACT_VIOLATION' } });
    expect(JSON.stringify(r.body)).not.toContain('leak');
    expect(await metricSum(gw, 'eventfold_gateway_contract_violations_total', { operation: 'getUser' })).toBe(
      1,
    );
  });

  it('relays it in warn mode, logging and counting the violation without values', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const offContract = await backend(
      answer(418, { type: 'x', title: 'Teapot', status: 418, detail: 'Lovelace' }),
    );
    const gw = await gatewayFor(
      { query: offContract.url },
      { RESPONSE_VALIDATION: 'warn' },
      createLogger('gateway', 'warn', sink),
    );
    const r = await gw.call('GET', `/v1/users/${user}`, { key: gw.keys.reader });
    exchanges.pop(); // relayed on purpose: not a contract the gateway keeps
    expect(r).toMatchObject({ status: 418, body: { status: 418, title: 'Teapot' } });
    expect(await metricSum(gw, 'eventfold_gateway_contract_violations_total', { status: '418' })).toBe(1);
    const warning = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.violation);
    expect(warning).toMatchObject({
      operation: 'getUser',
      violation: 'status 418 is not documented for getUser',
    });
    expect(lines.join('')).not.toContain('Lovelace');
  });

  describe('/readyz', () => {
    const ready = answer(200, { status: 'ready', checks: {} });

    it('is ready when both backends answer their /readyz with 200', async () => {
      const command = await backend(ready);
      const query = await backend(ready);
      const gw = await gatewayFor({ command: command.url, query: query.url });
      expect(await gw.call('GET', '/readyz')).toMatchObject({
        status: 200,
        body: { status: 'ready', checks: { command: 'ready', query: 'ready' } },
      });
    });

    it('asks the backends at most once a second, however often it is asked', async () => {
      const asked = { command: 0, query: 0 };
      const counting =
        (name: keyof typeof asked): Handler =>
        (req, res) => {
          asked[name]++;
          ready(req, res);
        };
      const command = await backend(counting('command'));
      const query = await backend(counting('query'));
      const gw = await gatewayFor({ command: command.url, query: query.url });
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 50 }, () => gw.call('GET', '/readyz')));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const elapsedSeconds = Math.ceil((Date.now() - started) / 1000);
      expect(asked.command).toBeLessThanOrEqual(elapsedSeconds);
      expect(asked.query).toBeLessThanOrEqual(elapsedSeconds);
    });

    it('is not ready while a backend is not, is unreachable, or is too slow to say', async () => {
      const starting = await backend(answer(503, { status: 'not-ready', checks: {} }));
      const silent = await backend((req) => req.resume());
      const gw = await gatewayFor(
        { command: starting.url, query: silent.url },
        { READINESS_TIMEOUT_MS: '200' },
      );
      const started = Date.now();
      expect(await gw.call('GET', '/readyz')).toMatchObject({
        status: 503,
        body: { status: 'not-ready', checks: { command: 'not ready (503)', query: 'timeout' } },
      });
      expect(Date.now() - started).toBeLessThan(2000);
      const down = await gatewayFor({});
      expect((await down.call('GET', '/readyz')).body).toMatchObject({
        checks: { command: 'unreachable', query: 'unreachable' },
      });
    });
  });
});
