import { testClock, waitFor } from '@eventfold/testing';
import { checkStreams, countCommittedRecords, readEventLog } from './testing/eventLog';
import { send, startTestCommandService } from './testing/testCommandService';

jest.setTimeout(180_000);

describe('command service on the real local stack', () => {
  let ctx: Awaited<ReturnType<typeof startTestCommandService>>;
  const register = async (
    name = 'Ada Lovelace',
    email = `ada.${Math.random().toString(36).slice(2)}@example.com`,
  ) => {
    const r = await send(ctx.service.url, 'POST', '/v1/users', { name, email });
    expect(r.status).toBe(201);
    return r.body as { id: string; version: number; consistencyToken: string };
  };

  beforeAll(async () => {
    ctx = await startTestCommandService();
  });
  afterAll(async () => {
    await ctx?.service.stop();
    expect(ctx?.fatal ?? []).toEqual([]);
  });

  it('answers 201 with id, version, consistency token, ETag and Location', async () => {
    const r = await send(ctx.service.url, 'POST', '/v1/users', {
      name: ' Ada ',
      email: 'Ada@Example.COM',
      locale: 'en',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ version: 1, consistencyToken: expect.stringMatching(/^\d+:\d+$/) });
    expect(r.headers.get('etag')).toBe('"1"');
    expect(r.headers.get('location')).toBe(`/v1/users/${String(r.body!.id)}`);
    expect(r.headers.get('x-consistency-token')).toBe(r.body!.consistencyToken);
  });

  it('of 50 concurrent renames with the same If-Match, exactly one succeeds and 49 get 412; versions stay contiguous', async () => {
    const { id } = await register();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(ctx.service.url, 'PUT', `/v1/users/${id}/name`, { name: `Name ${i}` }, { 'If-Match': '"1"' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    expect(answers.find((a) => a.status === 412)!.body).toMatchObject({
      code: 'VERSION_MISMATCH',
      status: 412,
    });
    const { versions, problems } = checkStreams(await readEventLog(ctx.topics, ctx.partitions));
    expect(problems).toEqual([]);
    expect(versions.get(`user-${id}`)).toEqual([1, 2]);
  });

  it('answers a command sent 5 times with the same Idempotency-Key identically, with one event', async () => {
    const { id } = await register();
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(
        await send(
          ctx.service.url,
          'PUT',
          `/v1/users/${id}/email`,
          { email: 'same@example.org' },
          { 'Idempotency-Key': `key-${id}` },
        ),
      );
    }
    expect(new Set(answers.map((a) => JSON.stringify([a.status, a.body])))).toEqual(
      new Set([JSON.stringify([200, answers[0]!.body])]),
    );
    expect(answers[0]!.body).toMatchObject({ version: 2, commandId: `key-${id}` });
    const { versions } = checkStreams(await readEventLog(ctx.topics, ctx.partitions));
    expect(versions.get(`user-${id}`)).toEqual([1, 2]);
  });

  it('registers once when a registration is retried with the same Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': `reg-${Date.now()}` };
    const first = await send(
      ctx.service.url,
      'POST',
      '/v1/users',
      { name: 'Grace', email: 'grace@example.com' },
      headers,
    );
    const again = await send(
      ctx.service.url,
      'POST',
      '/v1/users',
      { name: 'Grace', email: 'grace@example.com' },
      headers,
    );
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
  });

  it('answers 409 to a registration repeated after the idempotency window (the user exists by then)', async () => {
    // A service of its own with a short window and a clock the test moves past it, so that the other tests run on
    // the wall clock.
    const clock = testClock();
    const own = await startTestCommandService({
      partitions: 1,
      env: { IDEMPOTENCY_WINDOW_MS: '3000' },
      clock: clock.now,
    });
    try {
      const headers = { 'Idempotency-Key': `late-${Date.now()}` };
      const registration = { name: 'Grace', email: 'grace@example.com' };
      const first = await send(own.service.url, 'POST', '/v1/users', registration, headers);
      expect(first.status).toBe(201);
      clock.advance(3100);
      const late = await send(own.service.url, 'POST', '/v1/users', registration, headers);
      expect(late.body).toMatchObject({ status: 409, code: 'USER_ALREADY_REGISTERED' });
    } finally {
      await own.service.stop();
    }
    expect(own.fatal).toEqual([]);
  });

  it('maps domain outcomes to 404, 412 and 422', async () => {
    const unknown = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect((await send(ctx.service.url, 'PUT', `/v1/users/${unknown}/name`, { name: 'X' })).status).toBe(404);
    const { id } = await register('Ada');
    expect((await send(ctx.service.url, 'PUT', `/v1/users/${id}/name`, { name: 'Ada' })).body).toMatchObject({
      status: 422,
      code: 'NAME_UNCHANGED',
    });
    expect((await send(ctx.service.url, 'DELETE', `/v1/users/${id}`)).status).toBe(200);
    expect((await send(ctx.service.url, 'PUT', `/v1/users/${id}/name`, { name: 'B' })).body).toMatchObject({
      status: 422,
      code: 'USER_DEACTIVATED',
    });
    expect((await send(ctx.service.url, 'POST', `/v1/users/${id}/reactivation`)).body).toMatchObject({
      version: 3,
    });
    expect(
      (
        await send(
          ctx.service.url,
          'POST',
          `/v1/users/${id}/name-corrections`,
          { name: 'Ada K', reason: 'typo' },
          { 'If-Match': '"3"' },
        )
      ).body,
    ).toMatchObject({ version: 4 });
  });

  it('forgets a user: 200, once; forgetting again is harmless; an unknown user is 404', async () => {
    const unknown = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const missing = await send(ctx.service.url, 'DELETE', `/v1/users/${unknown}/personal-data`);
    expect(missing.body).toMatchObject({ status: 404, code: 'USER_NOT_FOUND' });
    const { id } = await register('Ada');
    const path = `/v1/users/${id}/personal-data`;
    const forgotten = await send(
      ctx.service.url,
      'DELETE',
      path,
      { reason: 'erasure request' },
      { 'If-Match': '"1"' },
    );
    expect(forgotten).toMatchObject({ status: 200, body: { id, version: 2 } });
    expect(forgotten.headers.get('etag')).toBe('"2"');
    // Again, with another command id: the same success at the same version, and nothing written.
    const again = await send(ctx.service.url, 'DELETE', path);
    expect(again).toMatchObject({ status: 200, body: { id, version: 2 } });
    expect(
      (await send(ctx.service.url, 'PUT', `/v1/users/${id}/email`, { email: 'x@example.org' })).body,
    ).toMatchObject({
      status: 422,
      code: 'USER_FORGOTTEN',
    });
    expect((await send(ctx.service.url, 'DELETE', `/v1/users/${id}`)).status).toBe(200);
    const log = await readEventLog(ctx.topics, ctx.partitions);
    const stream = log.filter((e) => e.event.metadata.streamId === `user-${id}`).map((e) => e.event);
    expect(stream.map((e) => [e.type, e.metadata.version])).toEqual([
      ['UserRegistered', 1],
      ['UserForgotten', 2],
      ['UserDeactivated', 3],
    ]);
    expect(stream[1]!.data).toEqual({ userId: id, reason: 'erasure request' });
  });

  it('scopes an Idempotency-Key to its caller, and never answers another request from its first result', async () => {
    const { id } = await register();
    const alice = { 'x-eventfold-actor': 'key:alice', 'Idempotency-Key': 'shared-key-1' };
    const bob = { 'x-eventfold-actor': 'key:bob', 'Idempotency-Key': 'shared-key-1' };
    const renamed = await send(ctx.service.url, 'PUT', `/v1/users/${id}/name`, { name: 'By Alice' }, alice);
    expect(renamed).toMatchObject({ status: 200, body: { version: 2, commandId: 'shared-key-1' } });
    // Bob's command with the same key is his own command, not a repeat of Alice's.
    const bobs = await send(ctx.service.url, 'PUT', `/v1/users/${id}/name`, { name: 'By Bob' }, bob);
    expect(bobs).toMatchObject({ status: 200, body: { version: 3 } });
    // Alice's key with another request (a forget after her rename): refused, nothing erased.
    const forget = await send(ctx.service.url, 'DELETE', `/v1/users/${id}/personal-data`, {}, alice);
    expect(forget).toMatchObject({
      status: 422,
      body: { code: 'IDEMPOTENCY_KEY_REUSED', commandId: 'shared-key-1' },
    });
    // The same rename again is answered with its first result.
    const again = await send(ctx.service.url, 'PUT', `/v1/users/${id}/name`, { name: 'By Alice' }, alice);
    expect(again).toMatchObject({ status: 200, body: { version: 2 } });
    // Each caller reads its own command's status; another caller's id is unknown to it.
    const status = (who: string) =>
      send(ctx.service.url, 'GET', '/v1/commands/shared-key-1', undefined, { 'x-eventfold-actor': who });
    expect(await status('key:alice')).toMatchObject({
      status: 200,
      body: { commandId: 'shared-key-1', version: 2 },
    });
    expect(await status('key:bob')).toMatchObject({ status: 200, body: { version: 3 } });
    expect((await status('key:carol')).status).toBe(404);
    // What the log keeps of it is a keyed hash, never the key.
    const logged = await readEventLog(ctx.topics, ctx.partitions);
    const trail = JSON.stringify(
      logged.filter((l) => l.event.metadata.streamId === `user-${id}`).map((l) => l.event.metadata),
    );
    expect(trail).not.toContain('shared-key-1');
  });

  it('answers 202 with a Location to poll under Prefer: respond-async', async () => {
    const { id } = await register();
    const r = await send(
      ctx.service.url,
      'PUT',
      `/v1/users/${id}/name`,
      { name: 'Later' },
      { Prefer: 'respond-async' },
    );
    expect(r.status).toBe(202);
    const location = r.headers.get('location')!;
    expect(location).toMatch(/^\/v1\/commands\//);
    const status = await waitFor(
      async () => {
        const answer = await send(ctx.service.url, 'GET', location);
        return answer.body?.status !== 'accepted' && answer;
      },
      { timeoutMs: 5000, intervalMs: 50, description: 'the command to leave accepted' },
    );
    expect(status.body).toMatchObject({ status: 'succeeded', version: 2, id });
    const rejected = await send(
      ctx.service.url,
      'PUT',
      `/v1/users/${id}/name`,
      { name: 'Later' },
      { 'Idempotency-Key': `rej-${id}` },
    );
    expect(rejected.status).toBe(422);
    expect((await send(ctx.service.url, 'GET', `/v1/commands/rej-${id}`)).body).toMatchObject({
      status: 'rejected',
      error: { status: 422, code: 'NAME_UNCHANGED' },
    });
    expect((await send(ctx.service.url, 'GET', '/v1/commands/never-sent')).status).toBe(404);
  });

  it('refuses malformed input with 4xx problem+json and writes nothing', async () => {
    const { id } = await register();
    // Committed records, not high watermarks: the registration's transaction markers land after it answered.
    const total = () => countCommittedRecords(ctx.topics.commands, ctx.partitions);
    const before = await total();
    const cases: [string, string, unknown, Record<string, string>, number][] = [
      ['POST', '/v1/users', '{"name": "Ada",', {}, 400],
      ['POST', '/v1/users', { name: 'Ada', email: 'ada@example.com', role: 'admin' }, {}, 400],
      ['POST', '/v1/users', { name: '', email: 'ada@example.com' }, {}, 400],
      ['POST', '/v1/users', { name: 'Ada', email: 'not-an-email' }, {}, 400],
      ['POST', '/v1/users', { name: 'x'.repeat(30_000), email: 'ada@example.com' }, {}, 413],
      ['PUT', `/v1/users/${id}/name`, { name: 'B' }, { 'If-Match': 'W/"1"' }, 400],
      ['PUT', `/v1/users/${id}/name`, { name: 'B' }, { 'If-Match': '"one"' }, 400],
      ['PUT', `/v1/users/${id}/name`, { name: 'B' }, { 'Idempotency-Key': 'has spaces' }, 400],
      ['PUT', '/v1/users/not-a-uuid/name', { name: 'B' }, {}, 400],
      ['PUT', `/v1/users/${id.toUpperCase()}/name`, { name: 'B' }, {}, 400],
      ['PUT', `/v1/users/${id}/name`, 'name=B', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['POST', `/v1/users/${id}/name-corrections`, { name: 'B' }, {}, 400],
      ['PATCH', `/v1/users/${id}`, { name: 'B' }, {}, 404],
    ];
    for (const [method, path, body, headers, status] of cases) {
      const r = await send(ctx.service.url, method, path, body, headers);
      expect({ method, path, status: r.status, type: r.headers.get('content-type') }).toEqual({
        method,
        path,
        status,
        type: 'application/problem+json; charset=utf-8',
      });
      expect(r.body).toMatchObject({
        status,
        type: expect.any(String),
        title: expect.any(String),
        code: expect.any(String),
      });
      expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(await total()).toBe(before);
  });
});
