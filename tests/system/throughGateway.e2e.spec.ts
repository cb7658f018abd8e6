import { checkAgainstDocument, type Exchange, startTestGateway } from '@eventfold/gateway-service/testing';
import { newReadSideEnv, startCommand, startProjectorInProcess, startQuery } from '../support/readSide';

jest.setTimeout(240_000);

describe('the whole system through the gateway', () => {
  const env = newReadSideEnv();
  let stop: () => Promise<unknown>;
  let url: string;
  let key: string;
  let readOnlyKey: string;
  const exchanges: Exchange[] = [];

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    bearer = key,
  ) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    exchanges.push({
      method,
      path,
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      body: parsed,
    });
    return { status: response.status, headers: response.headers, body: parsed! };
  }

  beforeAll(async () => {
    const command = await startCommand(env);
    const projector = await startProjectorInProcess(env);
    const query = await startQuery(env);
    const {
      gateway,
      url: gatewayUrl,
      keys,
    } = await startTestGateway({ commandUrl: command.url, queryUrl: query.url });
    url = gatewayUrl;
    key = keys.everything;
    readOnlyKey = keys.reader;
    stop = () => Promise.all([gateway.stop(), command.stop(), projector.stop(), query.stop()]);
  });
  afterAll(() => stop?.());

  it('registers, renames, corrects, changes email, deactivates, reactivates, reads, searches, audits and travels in time', async () => {
    const registered = await call('POST', '/v1/users', {
      name: 'Grace Brewster',
      email: 'grace@example.com',
    });
    expect(registered.status).toBe(201);
    const id = registered.body.id as string;
    const renamed = await call(
      'PUT',
      `/v1/users/${id}/name`,
      { name: 'Grace Hopper', reason: 'marriage' },
      { 'If-Match': '"1"' },
    );
    expect(renamed.status).toBe(200);
    expect(
      (await call('PUT', `/v1/users/${id}/name`, { name: 'Grace X' }, { 'If-Match': '"1"' })).status,
    ).toBe(412);
    expect(
      (
        await call('POST', `/v1/users/${id}/name-corrections`, {
          name: 'Grace Murray Hopper',
          reason: 'middle name',
        })
      ).status,
    ).toBe(200);
    expect((await call('PUT', `/v1/users/${id}/email`, { email: 'grace@navy.mil' })).status).toBe(200);
    expect((await call('PUT', `/v1/users/${id}/email`, { email: 'grace@navy.mil' })).status).toBe(422);
    expect((await call('DELETE', `/v1/users/${id}`, { reason: 'retired' })).status).toBe(200);
    const reactivated = await call('POST', `/v1/users/${id}/reactivation`, undefined, {
      'Idempotency-Key': `react-${id}`,
    });
    expect(reactivated.body).toMatchObject({ version: 6 });
    const token = reactivated.body.consistencyToken as string;

    const read = await call(
      'GET',
      `/v1/users/${id}`,
      undefined,
      { 'X-Consistency-Token': token },
      readOnlyKey,
    );
    expect(read).toMatchObject({
      status: 200,
      body: { name: 'Grace Murray Hopper', email: 'grace@navy.mil', status: 'active', version: 6 },
    });
    expect(read.headers.get('etag')).toBe('"6"');
    const search = await call('GET', '/v1/users?name=murray%20hop&limit=5', undefined, {}, readOnlyKey);
    expect((search.body.items as { id: string }[]).map((u) => u.id)).toEqual([id]);
    const trail = await call('GET', `/v1/users/${id}/events?limit=10`, undefined, {}, readOnlyKey);
    expect((trail.body.items as { type: string }[]).map((e) => e.type)).toEqual([
      'UserRegistered',
      'UserNameChanged',
      'UserNameCorrected',
      'UserEmailChanged',
      'UserDeactivated',
      'UserReactivated',
    ]);
    expect((await call('GET', `/v1/users/${id}?atVersion=2`, undefined, {}, readOnlyKey)).body).toMatchObject(
      { name: 'Grace Hopper', version: 2 },
    );
    expect(
      (await call('GET', `/v1/users/${id}?asOf=2001-01-01T00:00:00Z`, undefined, {}, readOnlyKey)).status,
    ).toBe(404);
    const status = await call('GET', `/v1/commands/react-${id}`, undefined, {}, key);
    expect(status.body).toMatchObject({ status: 'succeeded', version: 6 });
    // The same command id, asked by another key: none of its business, as if never used.
    const elsewhere = await call('GET', `/v1/commands/react-${id}`, undefined, {}, readOnlyKey);
    expect(elsewhere.body).toMatchObject({ status: 404, code: 'COMMAND_NOT_FOUND' });
    expect(
      (await call('POST', '/v1/users', { name: 'No', email: 'no@example.com' }, {}, readOnlyKey)).status,
    ).toBe(403);
    expect((await call('GET', `/v1/users/${id}`, undefined, {}, 'not-a-key')).status).toBe(401);
    expect((await call('GET', '/v1/users/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);

    const checks = exchanges.map((e) => ({
      call: `${e.method} ${e.path} → ${e.status}`,
      ...checkAgainstDocument(e),
    }));
    expect(checks.filter((c) => c.violation !== null || c.operation === undefined)).toEqual([]);
  });
});
