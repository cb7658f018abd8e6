import { sleep } from '@eventfold/core';
import { userTopicNames } from '@eventfold/avro';
import {
  FaultProxy,
  freePort,
  startPrivateInfrastructure,
  waitFor,
  type PrivateInfrastructure,
} from '@eventfold/testing';
import { checkStreams, readEventLog, withoutCopies } from '@eventfold/command-service/testing';
import { acknowledged, percentile, startCommandLoad } from '../support/commandLoad';
import { faultScale } from '../support/faultScale';
import { countEvents, readModelDocuments } from '../support/readModelDocuments';
import { dropOwnKeyStore, newReadSideEnv, startCommand, startProjectorInProcess } from '../support/readSide';

jest.setTimeout(600_000);

describe('a faulty network between the services and Kafka (TCP fault proxy)', () => {
  let infra: PrivateInfrastructure;
  let proxy: FaultProxy;
  const env = newReadSideEnv(4, { ownKeyStore: true });

  beforeAll(async () => {
    // Kafka advertises the proxy's port: every client connection, bootstrap and after, goes through it.
    const proxyPort = await freePort();
    let kafkaPort = 0;
    proxy = await FaultProxy.start(proxyPort, () => kafkaPort);
    infra = await startPrivateInfrastructure({
      portOffset: 23_000,
      // Only Kafka's connections are faulted (the registry keeps its journal in that Kafka): the read model's
      // shards are the run's shared ones.
      servers: ['kafka', 'registry'],
      shared: ['mongo'],
      kafkaAdvertisedPort: proxyPort,
      onLayout: (ports) => (kafkaPort = ports.kafka),
    });
  });
  afterAll(async () => {
    await dropOwnKeyStore(env);
    await proxy?.stop();
    await infra?.destroy();
  });

  it('loses no acknowledged event and duplicates no effect through latency, a blackhole and resets', async () => {
    const scale = faultScale();
    const services = { ...infra.env, COMMAND_TIMEOUT_MS: '3000', CONSUMER_SESSION_TIMEOUT_MS: '6000' };
    const command = await startCommand(env, services);
    const projector = await startProjectorInProcess(env, services);
    const load = startCommandLoad(command.url, 6, 30_000);
    const phases: string[] = [];
    const marks: Record<string, number> = {};
    let resets = 0;
    let faultsEndedAt = 0;
    try {
      await sleep(3000);
      proxy.set({ kind: 'latency', ms: 200 });
      marks.latency = Date.now();
      phases.push('200 ms latency');
      await sleep(5000 * scale);
      proxy.set({ kind: 'blackhole' });
      marks.blackhole = Date.now();
      phases.push('blackhole');
      await sleep(10_000);
      proxy.set({ kind: 'pass' });
      marks.pass = Date.now();
      await sleep(3000);
      marks.resets = Date.now();
      for (let i = 0; i < 3; i++) {
        resets += proxy.resetAll();
        await sleep(1000 * scale);
      }
      phases.push(`${resets} connection resets`);
      faultsEndedAt = Date.now();
      await waitFor(
        () => load.answers.filter((a) => a.startedAt > faultsEndedAt && acknowledged(a)).length >= 30,
        { timeoutMs: 180_000, description: 'acknowledged commands after the faults' },
      );
    } finally {
      await load.stop();
    }
    const ok = load.answers.filter(acknowledged);
    const topics = userTopicNames(env.prefix);
    let byCommand = new Map<string, number>();
    await waitFor(
      async () => {
        const log = await readEventLog(topics, env.partitions, infra.endpoints, env.keyStoreDb);
        byCommand = new Map();
        for (const { event } of log)
          byCommand.set(event.metadata.causationId, (byCommand.get(event.metadata.causationId) ?? 0) + 1);
        return ok.every((a) => byCommand.has(a.commandId));
      },
      { timeoutMs: 120_000, intervalMs: 2000, description: 'every acknowledged command to have its event' },
    ).catch(() => {
      const missing = ok.filter((a) => !byCommand.has(a.commandId));
      const at = (t: number) => Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, t - v]));
      console.log(`missing: ${JSON.stringify(missing.map((a) => ({ ...a, since: at(a.startedAt) })))}`);
    });
    // A record stored twice (same event, same position: see withoutCopies) is one decision, which every reader skips
    // by version; it is counted and reported, while a command decided twice still fails the test.
    const { log, copies } = withoutCopies(
      await readEventLog(topics, env.partitions, infra.endpoints, env.keyStoreDb),
    );
    byCommand = new Map();
    for (const { event } of log)
      byCommand.set(event.metadata.causationId, (byCommand.get(event.metadata.causationId) ?? 0) + 1);
    // The read model, once caught up, holds each event once: no effect applied twice, none skipped.
    await waitFor(
      async () => (await countEvents(env.readDb, 1, infra.endpoints.mongoShards)) === log.length,
      {
        timeoutMs: 240_000,
        intervalMs: 1000,
        description: 'the projection to catch up',
      },
    ).catch(async (error: Error) => {
      const projected = await countEvents(env.readDb, 1, infra.endpoints.mongoShards);
      throw new Error(`${error.message}: ${projected} of ${log.length} events projected`);
    });
    const model = await readModelDocuments(env.readDb, 1, infra.endpoints.mongoShards);
    await Promise.all([command.stop(), projector.stop()]);

    const lost = ok.filter((a) => (byCommand.get(a.commandId) ?? 0) === 0).length;
    const duplicated = ok.filter((a) => (byCommand.get(a.commandId) ?? 0) > 1).length;
    const streams = checkStreams(log);
    const projectedVersions = new Map(
      model.flatMap((s) => s.users.map((u) => [String(u._id), u.version as number])),
    );
    const wrongVersions = [...streams.versions].filter(([id, v]) => projectedVersions.get(id) !== v.length);
    const statuses = [...new Set(load.answers.map((a) => a.status))].sort();
    console.log(
      [
        `Network faults (${phases.join(', ')}): ${load.answers.length} commands, ${ok.length} acknowledged,`,
        `${log.length} events checked, ${lost} lost, ${duplicated} duplicated (${copies.length} records stored twice),`,
        `${wrongVersions.length} read-model`,
        `documents off; answers ${statuses.join('/')}, p50 ${percentile(
          load.answers.map((a) => a.ms),
          50,
        )} ms,`,
        `p99 ${percentile(
          load.answers.map((a) => a.ms),
          99,
        )} ms`,
      ].join(' '),
    );
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(streams.problems).toEqual([]);
    expect(wrongVersions).toEqual([]);
    expect(model.reduce((n, s) => n + s.events.length, 0)).toBe(log.length);
    expect([...command.fatal, ...projector.fatal]).toEqual([]);
    expect(resets).toBeGreaterThan(0);
  });
});
