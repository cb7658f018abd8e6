import { userTopicNames } from '@eventfold/avro';
import { sleep, withDeadline } from '@eventfold/core';
import { createKafka } from '@eventfold/kafka';
import { shardIndex } from '@eventfold/mongo';
import { createLogger } from '@eventfold/observability';
import { startPrivateInfrastructure, waitFor, type PrivateInfrastructure } from '@eventfold/testing';
import { readEventLog } from '@eventfold/command-service/testing';
import { produceCommandsInBulk, registrationsAndRenames } from '../support/bulkCommands';
import { faultScale } from '../support/faultScale';
import { countEvents, readModelDocuments } from '../support/readModelDocuments';
import {
  call,
  dropOwnKeyStore,
  newReadSideEnv,
  spawnProjector,
  startCommand,
  startQuery,
} from '../support/readSide';

jest.setTimeout(600_000);

/** A step that has no bound of its own: a hang fails the test at once, naming the step, not at the test timeout. */
const step = <T>(what: string, ms: number, work: Promise<T>) => withDeadline(work, ms, what);

describe('a MongoDB shard frozen (SIGSTOP) during projection', () => {
  let infra: PrivateInfrastructure;
  const env = newReadSideEnv(4, { ownKeyStore: true });

  beforeAll(async () => {
    // Only the shards are faulted here: Kafka and the registry are the run's shared ones.
    infra = await startPrivateInfrastructure({
      portOffset: 21_000,
      servers: ['mongo-0', 'mongo-1'],
      shared: ['kafka+registry'],
    });
  });
  afterAll(async () => {
    await dropOwnKeyStore(env);
    await infra?.destroy();
  });

  it('commits no offset past an unapplied event, fails reads of that shard fast, and drains the backlog after', async () => {
    const scale = faultScale();
    const users = Math.round(400 * scale);
    const total = users * 10;
    const shards = infra.endpoints.mongoShards;
    const services = { ...infra.env, READ_MODEL_CONTROL_POLL_MS: '200', QUERY_TIMEOUT_MS: '1000' };
    const command = await startCommand(env, services);
    const query = await startQuery(env, services);
    let projector = await spawnProjector(env, { ...services, PROJECTOR_COMMIT_EVERY: '50' });
    const topics = userTopicNames(env.prefix);
    const commands = registrationsAndRenames(users, 9);
    const userIds = commands.slice(0, users).map((c) => c.streamId.slice('user-'.length));
    const onShard = (shard: number) => userIds.find((id) => shardIndex(`user-${id}`, 2) === shard)!;
    const kafka = createKafka({
      brokers: infra.endpoints.kafkaBrokers,
      clientId: 'fault-test',
      logger: createLogger('test', 'silent'),
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await step(
        'the bulk commands to be processed',
        240_000,
        produceCommandsInBulk(
          topics,
          `${env.prefix}command-processor.users`,
          commands,
          infra.endpoints,
          env.keyStoreDb,
        ),
      );
      await waitFor(async () => (await countEvents(env.readDb, 1, shards)) > total / 10, {
        timeoutMs: 120_000,
        description: 'the projection to be under way',
      });
      // Both of these are projected from the first events on: they read fine before the freeze.
      for (const shard of [0, 1])
        await waitFor(
          async () => (await call(query.url, 'GET', `/v1/users/${onShard(shard)}`)).status === 200,
          {
            timeoutMs: 60_000,
            description: `a user of shard ${shard} to be readable`,
          },
        );

      infra.signal('mongo-1', 'SIGSTOP');
      const frozenAt = Date.now();
      await sleep(3000);
      // Reads of the frozen shard must fail on their own, while it is still frozen, not wait for it to thaw.
      const read = async (shard: number) => {
        const started = Date.now();
        const answer = await call(query.url, 'GET', `/v1/users/${onShard(shard)}`);
        return { answer, ms: Date.now() - started, doneAt: Date.now() };
      };
      const reads = Promise.all([read(1), read(0)]);
      await sleep(8000 * scale - (Date.now() - frozenAt));
      // What the projector has committed while the shard is frozen; then it dies before the shard thaws, so
      // nothing it applies afterwards can hide a commit that ran ahead of the read model.
      const [committed] = await admin.fetchOffsets({
        groupId: `${env.prefix}projector.users`,
        topics: [topics.events],
      });
      await step('the projector to die', 30_000, projector.kill());
      infra.signal('mongo-1', 'SIGCONT');
      const thawedAt = Date.now();
      const [frozenRead, otherRead] = await step('the reads made during the freeze', 60_000, reads);

      const log = await step(
        'reading the event log',
        120_000,
        readEventLog(topics, env.partitions, infra.endpoints, env.keyStoreDb),
      );
      const applied = new Set(
        (await step('reading the read model', 60_000, readModelDocuments(env.readDb, 1, shards))).flatMap(
          (shard) => shard.events.map((e) => String(e._id)),
        ),
      );
      const offsets = new Map(committed!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
      const committedEvents = log.filter((e) => e.offset < (offsets.get(e.partition) ?? -1n));
      const unapplied = committedEvents.filter(
        (e) => !applied.has(`${e.event.metadata.streamId}:${e.event.metadata.version}`),
      );
      const thawedRead = await step(
        'a read after the thaw',
        60_000,
        call(query.url, 'GET', `/v1/users/${onShard(1)}`),
      );

      projector = await spawnProjector(env, services);
      await waitFor(async () => (await countEvents(env.readDb, 1, shards)) === total, {
        timeoutMs: 300_000,
        intervalMs: 500,
        description: 'the backlog to drain',
      });
      const drainedS = (Date.now() - thawedAt) / 1000;
      console.log(
        [
          `Shard frozen ${((thawedAt - frozenAt) / 1000).toFixed(0)} s: ${log.length} events checked, ${committedEvents.length}`,
          `behind committed offsets, ${unapplied.length} of them unapplied; read of the frozen shard: ${frozenRead.answer.status}`,
          `in ${frozenRead.ms} ms, of the other shard: ${otherRead.answer.status} in ${otherRead.ms} ms, after the thaw: ${thawedRead.status};`,
          `backlog of ${total - applied.size} events drained ${drainedS.toFixed(1)} s after the thaw`,
        ].join(' '),
      );
      expect(unapplied).toEqual([]);
      expect(committedEvents.length).toBeGreaterThan(0);
      expect(frozenRead.answer.status).toBe(503);
      expect(frozenRead.answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(frozenRead.doneAt).toBeLessThan(thawedAt);
      expect(otherRead.answer.status).toBe(200);
      expect(otherRead.doneAt).toBeLessThan(thawedAt);
      expect(thawedRead.status).toBe(200);
      expect(log).toHaveLength(total);
    } finally {
      infra.signal('mongo-1', 'SIGCONT');
      await admin.disconnect();
      await Promise.allSettled([projector.kill(), command.stop(), query.stop()]);
    }
  });
});
