import { MongoClient } from 'mongodb';
import { testEndpoints, testKafka, waitFor } from '@eventfold/testing';
import { Partitioners } from 'kafkajs';
import {
  call,
  newReadSideEnv,
  startCommand,
  startProjectorInProcess,
  startQuery,
  topicsOf,
} from '../support/readSide';

jest.setTimeout(300_000);

describe('read side: projector and query service on the real local stack', () => {
  const env = newReadSideEnv();
  let command: Awaited<ReturnType<typeof startCommand>>;
  let projector: Awaited<ReturnType<typeof startProjectorInProcess>>;
  let query: Awaited<ReturnType<typeof startQuery>>;

  beforeAll(async () => {
    command = await startCommand(env);
    projector = await startProjectorInProcess(env);
    query = await startQuery(env);
  });
  afterAll(async () => {
    await Promise.all([command?.stop(), projector?.stop(), query?.stop()]);
    expect([...(command?.fatal ?? []), ...(projector?.fatal ?? [])]).toEqual([]);
  });

  it('reads each of 1,000 registrations at once with its consistency token, spread over both shards', async () => {
    const ids: { id: string; token: string }[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const created = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          call(command.url, 'POST', '/v1/users', {
            name: `Reader ${batch * 50 + i}`,
            email: `reader${batch * 50 + i}@example.com`,
          }),
        ),
      );
      for (const c of created) {
        expect(c.status).toBe(201);
        ids.push({ id: c.body!.id as string, token: c.body!.consistencyToken as string });
      }
    }
    // No retry loop: one GET per user, each must see the write it carries the token of.
    for (const { id, token } of ids) {
      const read = await call(query.url, 'GET', `/v1/users/${id}`, undefined, {
        'X-Consistency-Token': token,
      });
      expect({ id, status: read.status }).toEqual({ id, status: 200 });
      expect(read.body).toMatchObject({ id, version: 1, status: 'active' });
      expect(read.headers.get('etag')).toBe('"1"');
    }
    const counts = await Promise.all(
      testEndpoints().mongoShards.map(async (uri) => {
        const client = new MongoClient(uri);
        try {
          return await client
            .db(env.readDb)
            .collection('users')
            .countDocuments({ _id: { $in: ids.map((i) => `user-${i.id}`) } } as never);
        } finally {
          await client.close();
        }
      }),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(350);
  });

  it('refuses a token the log cannot reach with 400 at once, and waits for a real one the projector has not passed', async () => {
    const created = await call(command.url, 'POST', '/v1/users', {
      name: 'Future',
      email: 'future@example.com',
    });
    const id = created.body!.id as string;
    const token = created.body!.consistencyToken as string;
    const [partition] = token.split(':');
    // Forged: past the end of its partition, on a partition the log does not have.
    for (const forged of [`${partition}:999999999`, `${env.partitions}:0`]) {
      const started = Date.now();
      const refused = await call(query.url, 'GET', `/v1/users/${id}`, undefined, {
        'X-Consistency-Token': forged,
        Prefer: 'allow-stale',
      });
      expect({ forged, status: refused.status, code: refused.body?.code }).toEqual({
        forged,
        status: 400,
        code: 'CONSISTENCY_TOKEN_UNREACHABLE',
      });
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect(
      (await call(query.url, 'GET', `/v1/users/${id}`, undefined, { 'X-Consistency-Token': token })).status,
    ).toBe(200);
    // A real position the projector has not passed: the rename's, while the projector is stopped.
    await projector.stop();
    try {
      const renamed = await call(command.url, 'PUT', `/v1/users/${id}/name`, { name: 'Future Renamed' });
      expect(renamed.status).toBe(200);
      const pending = { 'X-Consistency-Token': renamed.body!.consistencyToken as string };
      const strict = await call(query.url, 'GET', `/v1/users/${id}`, undefined, pending);
      expect(strict.status).toBe(503);
      expect(strict.headers.get('retry-after')).toBe('1');
      expect(strict.body).toMatchObject({ code: 'CONSISTENCY_TIMEOUT' });
      const stale = await call(query.url, 'GET', `/v1/users/${id}`, undefined, {
        ...pending,
        Prefer: 'allow-stale',
      });
      expect(stale.status).toBe(200);
      expect(stale.headers.get('preference-applied')).toBe('allow-stale');
      expect(stale.body).toMatchObject({ name: 'Future', version: 1 });
    } finally {
      projector = await startProjectorInProcess(env);
    }
  });

  it('sends a poison record to the DLQ and goes on projecting the partition', async () => {
    const first = await call(command.url, 'POST', '/v1/users', {
      name: 'Before Poison',
      email: 'before@example.com',
    });
    const [partition] = (first.body!.consistencyToken as string).split(':').map(Number);
    const kafka = testKafka('poisoner');
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: topicsOf(env).events,
      messages: [
        {
          key: 'user-poison',
          partition,
          value: Buffer.from('{"not":"avro"}'),
          headers: { origin: 'by hand' },
        },
      ],
    });
    await producer.disconnect();
    const after = await call(command.url, 'PUT', `/v1/users/${String(first.body!.id)}/name`, {
      name: 'After Poison',
    });
    expect(Number((after.body!.consistencyToken as string).split(':')[0])).toBe(partition);
    const read = await call(query.url, 'GET', `/v1/users/${String(first.body!.id)}`, undefined, {
      'X-Consistency-Token': after.body!.consistencyToken as string,
    });
    expect(read.body).toMatchObject({ name: 'After Poison', version: 2 });

    const dead: { value: string; headers: Record<string, string> }[] = [];
    const consumer = kafka.consumer({ groupId: `${env.prefix}dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: topicsOf(env).eventsDlq, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        dead.push({
          value: message.value!.toString(),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    await waitFor(() => dead.length > 0, { description: 'the dead letter' });
    await consumer.disconnect();
    expect(dead).toEqual([
      {
        value: '{"not":"avro"}',
        headers: expect.objectContaining({
          origin: 'by hand',
          'dlq-source-partition': String(partition),
          'dlq-error-code': 'RECORD_NOT_CONFLUENT_FRAMED',
          'dlq-attempts': '3',
        }),
      },
    ]);
    const metrics = await (await fetch(`${projector.url}/metrics`)).text();
    expect(metrics).toMatch(
      /eventfold_projector_dead_lettered_total\{reason="undecodable",service="projector"\} 1/,
    );
  });

  it('matches search text literally: patterns and operators find nothing and never fail', async () => {
    const created = await call(command.url, 'POST', '/v1/users', {
      name: 'Literal (a+)+$ .* Name',
      email: 'literal@example.com',
    });
    await call(query.url, 'GET', `/v1/users/${String(created.body!.id)}`, undefined, {
      'X-Consistency-Token': created.body!.consistencyToken as string,
    });
    for (const text of ['.*', '(a+)+$', '{"$ne":""}', '$where', '[', '\\', '^']) {
      const started = Date.now();
      const r = await call(query.url, 'GET', `/v1/users?name=${encodeURIComponent(text)}&limit=100`);
      expect({ text, status: r.status }).toEqual({ text, status: 200 });
      expect(Date.now() - started).toBeLessThan(5000);
      for (const user of r.body!.items as { name: string }[])
        expect(user.name.toLowerCase()).toContain(text.toLowerCase());
    }
    const literal = await call(query.url, 'GET', `/v1/users?name=${encodeURIComponent('(A+)+$ .*')}`);
    expect((literal.body!.items as { id: string }[]).map((u) => u.id)).toEqual([created.body!.id]);
  });

  it('pages through search results over both shards in a stable order', async () => {
    const tag = `Pager${Date.now()}`;
    for (let i = 0; i < 25; i++)
      await call(command.url, 'POST', '/v1/users', {
        name: `${tag} ${String(i).padStart(2, '0')}`,
        email: `p${i}@example.com`,
      });
    await waitFor(
      async () =>
        ((await call(query.url, 'GET', `/v1/users?name=${tag}&limit=100`)).body!.items as unknown[])
          .length === 25,
      { description: 'all 25 users' },
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(
        query.url,
        'GET',
        `/v1/users?name=${tag.toLowerCase()}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...(page.body!.items as { name: string }[]).map((u) => u.name));
      cursor = page.body!.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `${tag} ${String(i).padStart(2, '0')}`));
    expect((await call(query.url, 'GET', '/v1/users?cursor=garbage')).status).toBe(400);
    expect((await call(query.url, 'GET', '/v1/users?limit=101')).status).toBe(400);
  });

  it('travels in time: before the rename, between rename and correction, and after, by time and by version', async () => {
    const created = await call(command.url, 'POST', '/v1/users', {
      name: 'Ada Byron',
      email: 'ada.byron@example.com',
    });
    const id = created.body!.id as string;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t0 = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await call(command.url, 'PUT', `/v1/users/${id}/name`, { name: 'Ada King', reason: 'marriage' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t1 = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const corrected = await call(command.url, 'POST', `/v1/users/${id}/name-corrections`, {
      name: 'Ada Lovelace',
      reason: 'the earl’s title',
    });
    const token = { 'X-Consistency-Token': corrected.body!.consistencyToken as string };
    const nameAt = async (query_: string) =>
      (await call(query.url, 'GET', `/v1/users/${id}?${query_}`, undefined, token)).body!.name;
    expect(await nameAt(`asOf=${t0}`)).toBe('Ada Byron');
    expect(await nameAt(`asOf=${t1}`)).toBe('Ada King');
    expect(await nameAt(`asOf=${new Date().toISOString()}`)).toBe('Ada Lovelace');
    expect(await nameAt('atVersion=1')).toBe('Ada Byron');
    expect(await nameAt('atVersion=2')).toBe('Ada King');
    expect(await nameAt('atVersion=3')).toBe('Ada Lovelace');
    expect((await call(query.url, 'GET', `/v1/users/${id}?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);
    // Both bounds: whichever came first.
    expect(await nameAt(`asOf=${t1}&atVersion=1`)).toBe('Ada Byron');
    expect(await nameAt(`asOf=${t0}&atVersion=3`)).toBe('Ada Byron');

    const trail = await call(query.url, 'GET', `/v1/users/${id}/events?limit=2`, undefined, token);
    expect((trail.body!.items as { type: string }[]).map((e) => e.type)).toEqual([
      'UserRegistered',
      'UserNameChanged',
    ]);
    const rest = await call(
      query.url,
      'GET',
      `/v1/users/${id}/events?limit=2&cursor=${String(trail.body!.nextCursor)}`,
    );
    expect(rest.body).toMatchObject({
      items: [
        { type: 'UserNameCorrected', version: 3, data: { oldName: 'Ada King', newName: 'Ada Lovelace' } },
      ],
      nextCursor: null,
    });
    expect(
      (await call(query.url, 'GET', '/v1/users/0f8fad5b-d9cb-469f-a165-70867728950e/events')).status,
    ).toBe(404);
  });

  it('projects a forget: the user and time travel after it read erased, the trail ends with UserForgotten', async () => {
    const created = await call(command.url, 'POST', '/v1/users', {
      name: 'Grace Hopper',
      email: 'grace.hopper@example.com',
      locale: 'en',
    });
    const id = created.body!.id as string;
    await call(command.url, 'DELETE', `/v1/users/${id}`, { reason: 'left' });
    const forgotten = await call(command.url, 'DELETE', `/v1/users/${id}/personal-data`, {
      reason: 'erasure request',
    });
    expect(forgotten).toMatchObject({ status: 200, body: { version: 3 } });
    const token = { 'X-Consistency-Token': forgotten.body!.consistencyToken as string };
    const now = await call(query.url, 'GET', `/v1/users/${id}`, undefined, token);
    expect(now.body).toMatchObject({
      id,
      name: '[erased]',
      email: '[erased]',
      locale: 'en',
      status: 'deactivated',
      version: 3,
    });
    expect((await call(query.url, 'GET', `/v1/users/${id}?atVersion=3`)).body).toMatchObject({
      name: '[erased]',
      email: '[erased]',
    });
    const trail = await call(query.url, 'GET', `/v1/users/${id}/events`);
    expect((trail.body!.items as { type: string }[]).map((e) => e.type)).toEqual([
      'UserRegistered',
      'UserDeactivated',
      'UserForgotten',
    ]);
    expect((trail.body!.items as { data: unknown }[])[2]!.data).toEqual({
      userId: id,
      reason: 'erasure request',
    });
  });
});
