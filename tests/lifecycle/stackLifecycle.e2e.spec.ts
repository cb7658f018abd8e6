import { waitFor } from '@eventfold/testing';
import { readModelDocuments } from '../support/readModelDocuments';
import { newcomerStack, type NewcomerStack } from '../support/newcomerStack';

jest.setTimeout(600_000);

const USERS = 12;
const SERVICES = ['command', 'gateway', 'integration', 'notifier', 'projector', 'query'];

/**
 * A user's lifecycle of the local stack, as the README tells it, on servers nobody prepared: the first
 * `pnpm infra:up` and `pnpm stack` on empty servers (the six services start together and register their schemas
 * at the same moment: issue 15), then a stop and start of everything and a `kill -9` of the registry, after which
 * every event written before must still decode with the ids its records carry (issue 25).
 */
describe("the local stack through a user's lifecycle", () => {
  let stack: NewcomerStack;
  const users: { id: string; version: number; name: string }[] = [];
  let before: { users: Map<string, unknown>; history: Map<string, unknown>; ids: string[] };

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${stack.apiKey()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** What a reader sees of every user: the current state and the audit trail, read after the last write. */
  async function readEverything(token: string) {
    const state = new Map<string, unknown>();
    const history = new Map<string, unknown>();
    for (const { id } of users) {
      const user = await call('GET', `/v1/users/${id}`, undefined, { 'x-consistency-token': token });
      expect(user.status).toBe(200);
      state.set(id, user.body);
      const events = await call('GET', `/v1/users/${id}/events`);
      expect(events.status).toBe(200);
      history.set(id, events.body);
    }
    return { state, history };
  }

  /** `eventfold schemas register`'s lines: every subject with the id of each version. */
  async function registeredIds(): Promise<string[]> {
    const run = await stack.eventfold('schemas', 'register', '--registry', stack.registryUrl);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    return run.lines;
  }

  /** Every user's stream read back from Kafka, decoded with the registry, by `eventfold streams show`. */
  async function streamsFromTheLog() {
    const streams = new Map<string, { version: number; type: string; schemaId: number; data: unknown }[]>();
    for (const { id } of users) {
      const shown = await stack.eventfold('streams', 'show', id, '--json');
      expect(shown.errors).toEqual([]);
      expect(shown.code).toBe(0);
      streams.set(
        id,
        shown.lines.map((line) => {
          const e = JSON.parse(line) as { version: number; type: string; schemaId: number; data: unknown };
          return { version: e.version, type: e.type, schemaId: e.schemaId, data: e.data };
        }),
      );
    }
    return streams;
  }

  async function expectEveryServiceReady() {
    for (const name of SERVICES) {
      const ready = await fetch(`${stack.serviceUrl(name)}/readyz`, { signal: AbortSignal.timeout(5000) });
      expect({ name, status: ready.status }).toEqual({ name, status: 200 });
    }
  }

  /** The facts the integration translator has published since it started (its /metrics). */
  async function factsPublished(): Promise<number> {
    const text = await (await fetch(`${stack.serviceUrl('integration')}/metrics`)).text();
    return Number(/^eventfold_integration_facts_total(?:{[^}]*})? (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    stack = await newcomerStack(3000);
  });
  afterAll(async () => {
    await stack?.destroy();
  });

  it('starts on empty servers the first time: infra:down --purge, infra:up, then stack, the six services together', async () => {
    expect((await stack.pnpm('infra:down', '--purge')).code).toBe(0);
    const infra = await stack.pnpm('infra:up');
    expect(infra.output).toMatch(/infra ready in/);
    expect(infra.code).toBe(0);
    const started = await stack.pnpm('stack');
    expect(started.output).toMatch(/stack ready in [\d.]+ s \(6 services\)/);
    for (const name of SERVICES) expect(started.output).toMatch(new RegExp(`^${name}: started`, 'm'));
    expect(started.code).toBe(0);
    await expectEveryServiceReady();
  });

  it('keeps every event readable, with the same schema ids, across a stop and start of the whole stack', async () => {
    let token = '';
    for (let i = 0; i < USERS; i++) {
      const registered = await call('POST', '/v1/users', {
        name: `Life Cycle ${i}`,
        email: `life${i}@example.com`,
      });
      expect(registered.status).toBe(201);
      users.push({ id: registered.body.id as string, version: 1, name: `Life Cycle ${i}` });
      token = registered.body.consistencyToken as string;
    }
    for (const user of users.slice(0, USERS / 2)) {
      const renamed = await call(
        'PUT',
        `/v1/users/${user.id}/name`,
        { name: `${user.name} Renamed`, reason: null },
        { 'if-match': `"${user.version}"` },
      );
      expect(renamed.status).toBe(200);
      user.version = renamed.body.version as number;
      token = renamed.body.consistencyToken as string;
    }
    const read = await readEverything(token);
    const ids = await registeredIds();
    const streams = await streamsFromTheLog();
    before = { users: read.state, history: read.history, ids };
    // The translator publishes a UserJoined per registration and a UserProfileChanged per rename.
    await waitFor(async () => (await factsPublished()) === USERS + USERS / 2, {
      timeoutMs: 60_000,
      description: 'every fact on users.integration.v1',
    });

    const stopped = await stack.pnpm('stack:down');
    expect(stopped.code).toBe(0);
    const restarted = await stack.pnpm('stack');
    expect(restarted.output).toMatch(/stack ready in/);
    expect(restarted.code).toBe(0);
    await expectEveryServiceReady();

    // The registry came back with the ids the records carry: everything decodes as it did.
    expect(await streamsFromTheLog()).toEqual(streams);
    expect(await registeredIds()).toEqual(ids);
    const again = await readEverything(token);
    expect(again.state).toEqual(before.users);
    expect(again.history).toEqual(before.history);

    // New writes after the restart use the same ids for the same schemas.
    const late = await call('POST', '/v1/users', { name: 'Late Comer', email: 'late@example.com' });
    expect(late.status).toBe(201);
    // The restarted translator went on from the offsets it committed (a graceful stop): only the new user's fact.
    await waitFor(async () => (await factsPublished()) === 1, {
      timeoutMs: 60_000,
      description: "the late user's fact, alone",
    });
    const lateStream = await stack.eventfold('streams', 'show', late.body.id as string, '--json');
    const firstOfBefore = [...streams.values()][0]![0]!;
    expect((JSON.parse(lateStream.lines[0]!) as { schemaId: number }).schemaId).toBe(firstOfBefore.schemaId);
    users.push({ id: late.body.id as string, version: 1, name: 'Late Comer' });
    before = { ...before, ...(await readEverything(late.body.consistencyToken as string)) };
  });

  it('keeps them after a kill -9 of the registry, and a rebuild from offset 0 equals the read model before', async () => {
    const streams = await streamsFromTheLog();
    const readModel = await readModelDocuments('eventfold_read', 1, stack.mongoShards);
    process.kill(stack.pid('registry'), 'SIGKILL');
    const infra = await stack.pnpm('infra:up');
    expect(infra.output).toMatch(/^registry: started/m);
    expect(infra.code).toBe(0);
    expect(await streamsFromTheLog()).toEqual(streams);
    expect(await registeredIds()).toEqual(before.ids);

    // A blue/green rebuild projects the whole log again, from offset 0, into version 2.
    const rebuilt = await stack.eventfold('rebuild', 'users-read-model');
    expect(rebuilt.errors).toEqual([]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.lines.at(-1)).toBe('✓ reads switched to version 2');
    expect(await readModelDocuments('eventfold_read', 2, stack.mongoShards)).toEqual(readModel);
    expect(readModel.flatMap((shard) => shard.users)).toHaveLength(users.length);
  });
});
