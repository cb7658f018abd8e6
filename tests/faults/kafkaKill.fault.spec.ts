import { sleep } from '@eventfold/core';
import { userTopicNames } from '@eventfold/avro';
import { startPrivateInfrastructure, waitFor, type PrivateInfrastructure } from '@eventfold/testing';
import { checkStreams, readEventLog, withoutCopies } from '@eventfold/command-service/testing';
import { acknowledged, percentile, startCommandLoad } from '../support/commandLoad';
import { faultScale } from '../support/faultScale';
import { dropOwnKeyStore, newReadSideEnv, startCommand } from '../support/readSide';

jest.setTimeout(600_000);

/** After the long outage, the full run's further kills (restarted after these many milliseconds each). */
const shortOutagesMs = [500, 3000, 1000, 6000, 2000];

describe('Kafka killed with -9 and restarted under load', () => {
  let infra: PrivateInfrastructure;
  const env = newReadSideEnv(4, { ownKeyStore: true });

  beforeAll(async () => {
    infra = await startPrivateInfrastructure({ portOffset: 20_000, servers: ['kafka', 'registry'] });
  });
  afterAll(async () => {
    await dropOwnKeyStore(env);
    await infra?.destroy();
  });

  it('loses and duplicates no acknowledged command, and answers 503 quickly during the outage', async () => {
    const scale = faultScale();
    const command = await startCommand(env, {
      ...infra.env,
      COMMAND_TIMEOUT_MS: '3000',
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
    });
    const load = startCommandLoad(command.url, 8, 20_000);
    /** At least `count` commands sent after `since` acknowledged; a service that gave up says so in the timeout. */
    const acknowledgedSince = (since: number, count: number) => () => {
      if (command.fatal.length > 0)
        throw new Error(`the command service gave up: ${String(command.fatal[0])}`);
      return load.answers.filter((a) => a.startedAt > since && acknowledged(a)).length >= count;
    };
    let killedAt = 0;
    let restartedAt = 0;
    let extraKills = 0;
    try {
      await sleep(3000 * scale);
      infra.signal('kafka', 'SIGKILL');
      killedAt = Date.now();
      await sleep(8000 * scale);
      restartedAt = Date.now();
      await infra.start('kafka');
      // Load goes on until the service has acknowledged commands again for a while.
      await waitFor(acknowledgedSince(restartedAt, 50 * scale), {
        timeoutMs: 180_000,
        description: 'acknowledged commands after the restart',
      });
      // The full run kills Kafka again, at random moments, for short outages: whatever a transaction was doing
      // when the broker died (a commit prepared and not yet marked, a restore half done) must come out right.
      for (const outage of scale > 1 ? shortOutagesMs : []) {
        await sleep(1000 + Math.random() * 3000);
        infra.signal('kafka', 'SIGKILL');
        await sleep(outage);
        const restarted = Date.now();
        await infra.start('kafka');
        await waitFor(acknowledgedSince(restarted, 1), {
          timeoutMs: 180_000,
          description: `acknowledged commands after the restart that followed a ${outage} ms outage`,
        });
        extraKills++;
      }
    } finally {
      await load.stop();
    }
    const recoveredAt = load.answers.find((a) => a.startedAt > restartedAt && acknowledged(a))!.startedAt;
    const ok = load.answers.filter(acknowledged);
    const topics = userTopicNames(env.prefix);
    const endpoints = {
      kafkaBrokers: infra.env.KAFKA_BROKERS!.split(','),
      schemaRegistryUrl: infra.env.SCHEMA_REGISTRY_URL!,
    };
    // Accepted (202) commands are stored: they must all have been processed once the service has caught up.
    let byCommand = new Map<string, number>();
    await waitFor(
      async () => {
        const log = await readEventLog(topics, env.partitions, endpoints, env.keyStoreDb);
        byCommand = new Map();
        for (const { event } of log)
          byCommand.set(event.metadata.causationId, (byCommand.get(event.metadata.causationId) ?? 0) + 1);
        return ok.every((a) => byCommand.has(a.commandId));
      },
      { timeoutMs: 120_000, intervalMs: 2000, description: 'every acknowledged command to have its event' },
    ).catch((error: Error) => {
      const missing = ok.filter((a) => !byCommand.has(a.commandId));
      console.log(
        `missing: ${JSON.stringify(missing.map((a) => ({ ...a, sinceKill: a.startedAt - killedAt, sinceRestart: a.startedAt - restartedAt })))}`,
      );
      throw error;
    });
    // A record stored twice (same event id, stream and version) is one decision that every reader skips by
    // version; counted and reported, while a command decided twice (two event ids) fails the test.
    const { log, copies } = withoutCopies(
      await readEventLog(topics, env.partitions, endpoints, env.keyStoreDb),
    );
    await command.stop();
    byCommand = new Map();
    for (const { event } of log)
      byCommand.set(event.metadata.causationId, (byCommand.get(event.metadata.causationId) ?? 0) + 1);

    const lost = ok.filter((a) => (byCommand.get(a.commandId) ?? 0) === 0).length;
    const duplicated = ok.filter((a) => (byCommand.get(a.commandId) ?? 0) > 1).length;
    const during = load.answers.filter((a) => a.startedAt >= killedAt && a.startedAt < restartedAt);
    const statuses = [...new Set(during.map((a) => a.status))].sort();
    console.log(
      [
        `Kafka kill -9: ${load.answers.length} commands sent, ${ok.length} acknowledged, ${log.length} events checked,`,
        `${lost} lost, ${duplicated} duplicated (${copies.length} records stored twice); during the ${((restartedAt - killedAt) / 1000).toFixed(0)} s outage`,
        `${during.length} answers (${statuses.join(', ')}), p50 ${percentile(
          during.map((a) => a.ms),
          50,
        )} ms,`,
        `max ${percentile(
          during.map((a) => a.ms),
          100,
        )} ms; acknowledging again ${((recoveredAt - restartedAt) / 1000).toFixed(1)} s after the restart${
          extraKills > 0 ? `; then ${extraKills} more kills (${shortOutagesMs.join(', ')} ms outages)` : ''
        }`,
      ].join(' '),
    );
    if (duplicated > 0) {
      // Where each copy sits (partition, offset, stream version): tells a command stored twice from one decided twice.
      const decidedTwice = ok
        .filter((a) => (byCommand.get(a.commandId) ?? 0) > 1)
        .map((a) => ({
          commandId: a.commandId,
          kind: a.kind,
          status: a.status,
          sinceKill: a.startedAt - killedAt,
          events: log
            .filter(({ event }) => event.metadata.causationId === a.commandId)
            .map(({ event, partition, offset }) => ({
              partition,
              offset: String(offset),
              stream: event.metadata.streamId,
              version: event.metadata.version,
            })),
        }));
      console.log(
        `duplicated: ${JSON.stringify(decidedTwice)}; stream problems: ${JSON.stringify(checkStreams(log).problems)}`,
      );
    }
    if (copies.length > 0) {
      const where = copies.map(({ event, partition, offset, sameBytes }) => ({
        partition,
        offset: String(offset),
        first: String(log.find((e) => e.event.metadata.eventId === event.metadata.eventId)?.offset),
        version: event.metadata.version,
        sameBytes,
      }));
      console.log(`records stored twice (the second copies): ${JSON.stringify(where)}`);
    }
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(checkStreams(log).problems).toEqual([]);
    expect(command.fatal).toEqual([]);
    // During the outage the service refuses (503) instead of holding requests: no client gave up waiting (20 s).
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status === 0)).toEqual([]);
    expect(during.filter((a) => a.status >= 500).every((a) => a.status === 503)).toBe(true);
  });
});
