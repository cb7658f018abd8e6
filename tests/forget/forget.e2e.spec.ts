import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ERASED } from '@eventfold/crypto';
import {
  randomName,
  scanFiles,
  scrapeMetric,
  spawnService,
  startPrivateInfrastructure,
  TEST_KEY_STORE_DB,
  waitFor,
  type PrivateInfrastructure,
  type ServiceProcess,
} from '@eventfold/testing';
import { eventfold } from '@eventfold/cli/testing';
import { testNotifierEnv } from '@eventfold/notifier-service/testing';
import { scanDatabases, storedWrappedKeys } from '../support/plaintextScan';
import { call, newReadSideEnv, serviceEnv } from '../support/readSide';

// The acceptance test of forgetting (issues 10 and 24): 100 users with names and addresses (each changed once),
// 10 forgotten, the read model rebuilt from offset 0; then no plaintext of the forgotten anywhere an auditor would
// look: no MongoDB query returns it, and no file under the infrastructure's data folders holds it (Kafka's log
// segments, the registry's journal in Kafka, the FerretDB shards' databases and WALs: read model, notifier, key
// store), nor the forgotten users' wrapped data keys; no plaintext of anyone in Kafka's segments or in any service
// log; and the other 90 intact. Everything runs on a private copy of the infrastructure, so that its data folders
// hold this test's data only; the services run as processes of their own (writes through the gateway), logging at
// debug level to files that are grepped too. Delivered mail is not scanned: it went to the users (the SMTP sink is
// the shared one, outside these folders), as mail handed to a relay does.

jest.setTimeout(600_000);

const USERS = 100;
const FORGOTTEN = 10;
const services = path.resolve(__dirname, '..', '..', 'services');
const main = (name: string) => path.join(services, name, 'src', 'main.ts');

interface Person {
  readonly id: string;
  readonly values: readonly string[];
  readonly current: { readonly name: string; readonly email: string };
  readonly first: { readonly name: string; readonly email: string };
}

describe('forgetting users: crypto-shredding end to end', () => {
  let infra: PrivateInfrastructure;
  const env = newReadSideEnv(4);
  const notifierDb = randomName('notifier').replace(/-/g, '_');
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    infra = await startPrivateInfrastructure({
      portOffset: 24_000,
      servers: ['kafka', 'registry', 'mongo-0', 'mongo-1', 'checkpointer'],
    });
  });
  afterAll(async () => {
    await Promise.allSettled(processes.map((p) => p.kill()));
    await infra?.destroy();
  });

  it('leaves no plaintext of 10 forgotten users anywhere, and the other 90 intact', async () => {
    const [shard0, shard1] = infra.endpoints.mongoShards;
    const privateKafka = {
      KAFKA_BROKERS: infra.env.KAFKA_BROKERS!,
      SCHEMA_REGISTRY_URL: infra.env.SCHEMA_REGISTRY_URL!,
      MONGO_SHARDS: infra.env.MONGO_SHARDS!,
      KEY_STORE_URI: shard0!,
    };
    const extra = { ...privateKafka, LOG_LEVEL: 'debug', READ_MODEL_CONTROL_POLL_MS: '200' };
    const command = await spawnService(main('command'), serviceEnv(env, extra));
    processes.push(command);
    const [projector, query, notifier] = await Promise.all([
      spawnService(main('projector'), serviceEnv(env, extra)),
      spawnService(main('query'), serviceEnv(env, extra)),
      spawnService(main('notifier'), {
        ...testNotifierEnv(env.prefix, notifierDb, { ...privateKafka, LOG_LEVEL: 'debug' }),
      }),
    ]);
    processes.push(projector, query, notifier);
    // Writes go through the gateway, as a client's would: its log is grepped too.
    const apiKey = `forget-${randomBytes(8).toString('hex')}`;
    const gateway = await spawnService(main('gateway'), {
      COMMAND_URL: command.url,
      QUERY_URL: query.url,
      API_KEYS: `${apiKey}=users:read+users:write+admin`,
      API_KEY_ID_SECRET: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'debug',
    });
    processes.push(gateway);
    const auth = { authorization: `Bearer ${apiKey}` };

    // 100 users, each registered, renamed and given a new address: four personal values apiece, all unique.
    const token = randomBytes(4).toString('hex');
    const people: Person[] = [];
    const started = Date.now();
    for (let batch = 0; batch < USERS / 25; batch++) {
      people.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, async (_, k): Promise<Person> => {
            const i = batch * 25 + k;
            const first = { name: `Nam${token}x${i}y`, email: `mail${token}x${i}y@example.com` };
            const current = { name: `Ren${token}x${i}y`, email: `newmail${token}x${i}y@example.org` };
            const registered = await call(gateway.url, 'POST', '/v1/users', first, auth);
            expect(registered.status).toBe(201);
            const id = registered.body!.id as string;
            expect(
              (await call(gateway.url, 'PUT', `/v1/users/${id}/name`, { name: current.name }, auth)).status,
            ).toBe(200);
            expect(
              (await call(gateway.url, 'PUT', `/v1/users/${id}/email`, { email: current.email }, auth))
                .status,
            ).toBe(200);
            return { id, first, current, values: [first.name, first.email, current.name, current.email] };
          }),
        )),
      );
    }
    const wroteMs = Date.now() - started;
    await waitFor(
      async () =>
        (await scrapeMetric(notifier.url, 'eventfold_notifier_emails_sent_total', {
          template: 'welcome',
        })) === USERS,
      { timeoutMs: 120_000, intervalMs: 500, description: 'the welcome emails of the 100 users' },
    );
    for (const person of people)
      await waitFor(
        async () => (await call(query.url, 'GET', `/v1/users/${person.id}`)).body?.version === 3,
        { timeoutMs: 60_000, description: `${person.id} at version 3 in the read model` },
      );

    // Forget 10 through the CLI; forgetting one of them again and an unknown user, too.
    const forgotten = people.slice(0, FORGOTTEN);
    const kept = people.slice(FORGOTTEN);
    // The CLI with the services' key settings (serviceEnv sets the test key), and without the master key.
    const withKey: Record<string, string> = { ...serviceEnv(env, privateKafka), COMMAND_URL: command.url };
    const { KEY_ENCRYPTION_KEY: _key, ...cli } = withKey;
    // Their data keys as stored (wrapped under the master key): gone from the files too, after the forget.
    const wrappedKeys = await storedWrappedKeys(
      shard0!,
      TEST_KEY_STORE_DB,
      forgotten.map((p) => `user-${p.id}`),
    );
    expect(wrappedKeys).toHaveLength(FORGOTTEN);
    const forgetStarted = Date.now();
    for (const person of forgotten) {
      const answer = await eventfold(cli, 'forget', person.id, '--reason', 'erasure request');
      expect(answer).toEqual({
        code: 0,
        lines: [expect.stringContaining(`forgot user ${person.id}`)],
        errors: [],
      });
    }
    const forgetMs = Date.now() - forgetStarted;
    const again = await eventfold(cli, 'forget', forgotten[0]!.id);
    expect(again.code).toBe(0);
    expect(again.lines[0]).toContain('(stream version 4)');
    expect(await eventfold(cli, 'forget', randomUUID())).toMatchObject({ code: 2 });
    const unknown = await call(
      gateway.url,
      'DELETE',
      `/v1/users/${randomUUID()}/personal-data`,
      undefined,
      auth,
    );
    expect(unknown.status).toBe(404);
    for (const person of forgotten)
      await waitFor(
        async () => (await call(query.url, 'GET', `/v1/users/${person.id}`)).body?.version === 4,
        {
          timeoutMs: 60_000,
          description: `${person.id} forgotten in the read model`,
        },
      );

    // Rebuild the read model from offset 0 into version 2.
    const rebuildStarted = Date.now();
    const rebuilt = await eventfold(cli, 'rebuild', 'users-read-model', '--progress-every', '5');
    expect(rebuilt.code).toBe(0);
    const rebuildMs = Date.now() - rebuildStarted;
    await waitFor(
      async () =>
        ((await (await fetch(`${query.url}/readyz`)).json()) as { checks: Record<string, string> }).checks
          .readModelVersion === '2',
      { timeoutMs: 30_000, description: 'the query service to read version 2' },
    );

    // The forgotten: erased in the current view, in time travel and in the audit trail.
    for (const person of forgotten) {
      const user = await call(query.url, 'GET', `/v1/users/${person.id}`);
      expect(user.body).toMatchObject({ name: ERASED, email: ERASED, version: 4 });
      const then = await call(query.url, 'GET', `/v1/users/${person.id}?atVersion=1`);
      expect(then.body).toMatchObject({ name: ERASED, email: ERASED, version: 1 });
      const trail = JSON.stringify((await call(query.url, 'GET', `/v1/users/${person.id}/events`)).body);
      for (const value of person.values) expect(trail).not.toContain(value);
      expect(trail).toContain(ERASED);
    }
    // The others: intact, now and at version 1.
    for (const person of kept) {
      const user = await call(query.url, 'GET', `/v1/users/${person.id}`);
      expect(user.body).toMatchObject({ ...person.current, version: 3 });
      const then = await call(query.url, 'GET', `/v1/users/${person.id}?atVersion=1`);
      expect(then.body).toMatchObject({ ...person.first, version: 1 });
    }
    // The log itself, through the CLI: decrypted with the key, erased for the forgotten, ciphertext without it.
    const shownKept = await eventfold(withKey, 'streams', 'show', kept[0]!.id, '--json');
    expect(shownKept.lines.join('\n')).toContain(kept[0]!.first.name);
    const shownForgotten = await eventfold(withKey, 'streams', 'show', forgotten[0]!.id, '--json');
    expect(shownForgotten.lines.join('\n')).toContain(ERASED);
    const withoutKey = await eventfold(cli, 'streams', 'show', kept[0]!.id, '--json');
    expect(withoutKey.lines.join('\n')).not.toContain(kept[0]!.first.name);
    expect(withoutKey.lines.join('\n')).toContain('"name":"ef1:');
    expect(await eventfold(cli, 'dlq', 'list')).toMatchObject({
      lines: [`${env.prefix}users.events.dlq: no dead letters waiting`],
    });

    // No plaintext: MongoDB (read model versions 1 and 2, notifier ledger and recipients, key store) for the
    // forgotten; Kafka's log segments (every topic, DLQs included) and the service logs for anybody.
    const forgottenValues = forgotten.flatMap((p) => p.values);
    const everyValue = people.flatMap((p) => p.values);
    const mongo = [
      await scanDatabases(shard0!, [env.readDb, notifierDb, TEST_KEY_STORE_DB], forgottenValues),
      await scanDatabases(shard1!, [env.readDb], forgottenValues),
    ];
    // The control: the same scan finds a kept user's name (in whichever shard holds that user).
    const keptInMongo = [
      await scanDatabases(shard0!, [env.readDb], [kept[0]!.current.name]),
      await scanDatabases(shard1!, [env.readDb], [kept[0]!.current.name]),
    ].flatMap((m) => m.hits);
    const kafka = scanFiles([infra.dataDir('kafka')], everyValue);
    const logs = scanFiles(
      processes.map((p) => p.logFile),
      everyValue,
    );
    // The files of the shards, once the checkpointer has truncated their WALs after the last erasure: the read
    // model must hold its plaintext (search needs it), so nothing of the forgotten may be left in any earlier page
    // image. The wrapped data keys are looked for in the forms FerretDB's JSON may store them.
    const erasedBy = Date.now();
    await waitFor(
      async () => {
        const status = (await (await fetch(infra.address('checkpointer'))).json()) as {
          lastPassStartedAt: number;
          lastPassEndedAt: number;
          busy: string[];
        };
        return status.lastPassStartedAt > erasedBy && status.lastPassEndedAt >= status.lastPassStartedAt
          ? status.busy.length === 0
          : false;
      },
      { timeoutMs: 30_000, description: 'a checkpoint pass of the shards after the erasures, none busy' },
    );
    const shardDirs = [infra.dataDir('mongo-0'), infra.dataDir('mongo-1')];
    const keyForms = wrappedKeys.flatMap((key) => [key.toString('base64'), key.toString('base64url')]);
    // Every server's data folder: Kafka (the registry's journal too), the shards, the checkpointer's, the registry's.
    const dataFolders = path.dirname(infra.dataDir('kafka'));
    const files = scanFiles([dataFolders], [...forgottenValues, ...keyForms]);
    const keptInFiles = scanFiles(shardDirs, [kept[0]!.current.name]);
    console.log(
      [
        `wrote ${USERS * 3} commands in ${wroteMs} ms; forgot ${FORGOTTEN} users through the CLI in ${forgetMs} ms; rebuilt in ${rebuildMs} ms`,
        `MongoDB: ${mongo.reduce((n, m) => n + m.documents, 0)} documents, ${mongo.flatMap((m) => m.hits).length} hits for the forgotten`,
        `Kafka: ${kafka.files} files, ${kafka.bytes} bytes, ${kafka.hits.length} hits for anybody`,
        `infrastructure files: ${files.files} files, ${files.bytes} bytes, ${files.hits.length} hits for the forgotten (names, addresses, wrapped keys)`,
        `service logs: ${logs.files} files, ${logs.bytes} bytes, ${logs.hits.length} hits for anybody`,
      ].join('\n'),
    );
    expect(files.hits).toEqual([]);
    expect(keptInFiles.hits.length).toBeGreaterThan(0);
    expect(mongo.flatMap((m) => m.hits)).toEqual([]);
    expect(keptInMongo.length).toBeGreaterThan(0);
    expect(kafka.files).toBeGreaterThan(0);
    expect(kafka.hits).toEqual([]);
    expect(logs.hits).toEqual([]);
  });
});
