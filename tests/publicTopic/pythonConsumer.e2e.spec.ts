import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway } from '@eventfold/gateway-service/testing';
import {
  infraPaths,
  pythonVenv,
  requirementsVenvDir,
  spawnInGroup,
  type GroupLeader,
} from '@eventfold/infra';
import { randomName, testEndpoints, testKafka, waitFor, withTestAdmin } from '@eventfold/testing';
import {
  newReadSideEnv,
  startCommand,
  startIntegration,
  startProjectorInProcess,
  startQuery,
} from '../support/readSide';

// A consumer of users.integration.v1 that no one here wrote (issue 21): examples/python-consumer, on Confluent's
// own client and Avro deserializer, keeps a table of users that must agree with eventfold's read model, and holds
// nothing personal of a forgotten user. It also stops on SIGTERM and resumes from its committed offsets.

jest.setTimeout(240_000);

const example = path.resolve(__dirname, '..', '..', 'examples', 'python-consumer');

interface Row {
  readonly userId: string;
  readonly sourceVersion: number;
  readonly status: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly locale?: string | null;
  readonly joinedAt?: string;
}

describe('a Python consumer of users.integration.v1 (confluent-kafka)', () => {
  const env = newReadSideEnv(2);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'python-consumer-'));
  const table = path.join(work, 'users.json');
  const log = path.join(work, 'consumer.log');
  const group = randomName('python-users');
  let python: string;
  let url: string;
  let key: string;
  let stop: () => Promise<unknown>;
  let consumer: GroupLeader | undefined;

  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const write = async (method: string, route: string, body?: unknown) => {
    const answer = await call(method, route, body);
    if (answer.status >= 300) throw new Error(`${method} ${route} answered ${answer.status}`);
    return answer.body;
  };

  const startConsumer = () => {
    const endpoints = testEndpoints();
    consumer = spawnInGroup(
      {
        command: python,
        args: [
          path.join(example, 'users_table.py'),
          '--brokers',
          endpoints.kafkaBrokers.join(','),
          '--registry',
          endpoints.schemaRegistryUrl,
          '--topic',
          `${env.prefix}users.integration.v1`,
          '--group',
          group,
          '--table',
          table,
        ],
      },
      log,
    );
  };
  const stopConsumer = async () => {
    const running = consumer;
    consumer = undefined;
    if (!running) return undefined;
    if (!running.hasExited()) process.kill(running.pid, 'SIGTERM');
    return waitFor(async () => ({ code: await running.exited }), {
      timeoutMs: 30_000,
      description: 'the Python consumer to stop on SIGTERM',
    });
  };
  const rows = (): Record<string, Row> | null =>
    fs.existsSync(table) ? (JSON.parse(fs.readFileSync(table, 'utf8')) as Record<string, Row>) : null;

  beforeAll(async () => {
    // Installed once into the cache, keyed by the requirements' hash (a minute on first use, nothing after).
    const requirements = path.join(example, 'requirements.txt');
    python = await pythonVenv(requirementsVenvDir(infraPaths().cacheDir, 'python-consumer', requirements), [
      '-r',
      requirements,
    ]);
    const command = await startCommand(env);
    const [projector, query, integration] = await Promise.all([
      startProjectorInProcess(env),
      startQuery(env),
      startIntegration(env),
    ]);
    const started = await startTestGateway({ commandUrl: command.url, queryUrl: query.url });
    url = started.url;
    key = started.keys.everything;
    stop = () =>
      Promise.all([
        started.gateway.stop(),
        command.stop(),
        projector.stop(),
        query.stop(),
        integration.stop(),
      ]);
  }, 600_000);
  afterAll(async () => {
    await stopConsumer();
    await stop?.();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** Waits until the Python program's table agrees with the read model (through the gateway) for these users. */
  async function expectTableToMatchReadModel(ids: readonly string[], forgotten: ReadonlySet<string>) {
    const users = await Promise.all(ids.map(async (id) => (await call('GET', `/v1/users/${id}`)).body));
    const expected = Object.fromEntries(
      users.map((user) => {
        const id = String(user.id);
        if (forgotten.has(id)) return [id, { userId: id, status: 'erased', sourceVersion: user.version }];
        const { name, email, locale, status, version, createdAt } = user;
        const joinedAt = Date.parse(String(createdAt));
        return [id, { userId: id, name, email, locale, status, sourceVersion: version, joinedAt }];
      }),
    );
    const matching = waitFor(
      () => {
        // A mismatch throws, and the last one is in the error if the wait times out.
        const now = rows();
        for (const id of ids) expect(pick(now?.[id])).toEqual(expected[id]);
        return true;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: "the Python consumer's table to match the read model",
      },
    );
    // A program that died fails the test at once, with what it said.
    const died = consumer!.exited.then((code) => {
      throw new Error(`the Python consumer exited (${code}):\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    });
    await Promise.race([matching, died]);
  }

  it('keeps a table that matches the read model, erases the forgotten, and resumes after SIGTERM', async () => {
    startConsumer();
    const register = async (name: string, email: string) =>
      String((await write('POST', '/v1/users', { name, email })).id);
    const [ada, bob, cy, dee] = await Promise.all([
      register('Ada Byron', 'ada@example.com'),
      register('Bob Tables', 'bob@example.com'),
      register('Cy Secret', 'cy.secret@example.com'),
      register('Dee Stays', 'dee@example.com'),
    ]);
    await write('PUT', `/v1/users/${ada}/name`, { name: 'Ada Lovelace' });
    await write('DELETE', `/v1/users/${bob}`, { reason: 'left' });
    await write('PUT', `/v1/users/${cy}/name`, { name: 'Cy Renamed' });
    await write('DELETE', `/v1/users/${cy}/personal-data`, { reason: 'asked to be forgotten' });
    const ids = [ada, bob, cy, dee];
    const finalVersions: Record<string, number> = { [ada]: 2, [bob]: 2, [cy]: 3, [dee]: 1 };
    await waitFor(
      async () => {
        const read = await Promise.all(ids.map((id) => call('GET', `/v1/users/${id}`)));
        return read.every((r, i) => r.body.version === finalVersions[ids[i]!]);
      },
      { timeoutMs: 60_000, description: 'the read model at the last writes' },
    );

    await expectTableToMatchReadModel(ids, new Set([cy]));
    const text = fs.readFileSync(table, 'utf8');
    for (const personal of ['Cy Secret', 'Cy Renamed', 'cy.secret@example.com'])
      expect(text).not.toContain(personal);

    // SIGTERM: a clean exit with the offsets committed; then a change while it is down, caught up from there.
    expect(await stopConsumer()).toEqual({ code: 0 });
    // Committed up to what it read: each partition's end but the last transaction's commit marker (the translator
    // writes in transactions, and a consumer's position is the offset after the last record it was given).
    const topic = `${env.prefix}users.integration.v1`;
    const [ends, committed] = await withTestAdmin(testKafka('python-consumer-check'), async (admin) => [
      await admin.fetchTopicOffsets(topic),
      (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions,
    ]);
    for (const end of ends.filter((e) => Number(e.high) > 0)) {
      const offset = committed.find((c) => c.partition === end.partition)?.offset;
      expect(Number(offset)).toBeGreaterThanOrEqual(Number(end.high) - 1);
    }
    await write('DELETE', `/v1/users/${dee}`, {});
    await waitFor(async () => (await call('GET', `/v1/users/${dee}`)).body.status === 'deactivated', {
      timeoutMs: 60_000,
      description: 'the deactivation in the read model',
    });
    startConsumer();
    await expectTableToMatchReadModel(ids, new Set([cy]));
    expect(fs.readFileSync(log, 'utf8')).not.toMatch(/Traceback/);
  });
});

/** A row as the read model says it: an erased row whole (nothing else may be in it), joinedAt as milliseconds. */
function pick(row: Row | undefined) {
  if (!row || row.status === 'erased') return row;
  const { userId, name, email, locale, status, sourceVersion, joinedAt } = row;
  return { userId, name, email, locale, status, sourceVersion, joinedAt: Date.parse(joinedAt!) };
}
