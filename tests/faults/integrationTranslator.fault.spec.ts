import { userTopicNames } from '@eventfold/avro';
import { eventfold } from '@eventfold/cli/testing';
import {
  clientIdsFor,
  readStreamEventLog,
  spawnCommandProcess,
  type CommandProcess,
} from '@eventfold/command-service/testing';
import { sleep } from '@eventfold/core';
import { parseMasterKey } from '@eventfold/crypto';
import { actorOf, startTestGateway } from '@eventfold/gateway-service/testing';
import {
  TEST_KEY_ENCRYPTION_KEY,
  testKafka,
  waitFor,
  withTestAdmin,
  type ServiceProcess,
} from '@eventfold/testing';
import { isEmailStreamId, type RecordedUserEvent } from '@eventfold/users-domain';
import { compareFacts, expectedFacts } from '../support/expectedFacts';
import { faultScale } from '../support/faultScale';
import { readPublishedFacts } from '../support/publishedFacts';
import {
  dropOwnKeyStore,
  newReadSideEnv,
  serviceEnv,
  spawnIntegration,
  startQuery,
} from '../support/readSide';
import { runUserLifecycles } from '../support/userLifecycles';

// Issue 21's acceptance: users come, change, leave and are forgotten through the gateway while the integration
// translator (docs/decisions/0017-public-integration-topic.md) is killed with -9 again and again; the public topic
// ends with exactly the facts the clients' acknowledged commands make, each once, in order per user, and a replay
// of the translator's group from offset 0 adds nothing.

jest.setTimeout(1_200_000);

const full = faultScale() > 1;
const USERS = full ? 1000 : 100;
const ERASURES = full ? 20 : 4;
const KILLS = full ? 5 : 2;
const PARTITIONS = 4;
/** A dead member holds its partitions this long: the next life waits for it before it gets them. */
const TRANSLATOR = { CONSUMER_SESSION_TIMEOUT_MS: '6000' };

const seconds = (from: number, to = Date.now()) => `${((to - from) / 1000).toFixed(0)} s`;

/** The facts this life of the translator has published (its /metrics), or null when it does not answer. */
async function factsPublishedBy(translator: ServiceProcess): Promise<number | null> {
  const text = await fetch(`${translator.url}/metrics`)
    .then((r) => r.text())
    .catch(() => null);
  const count = text && /^eventfold_integration_facts_total(?:{[^}]*})? (\d+)$/m.exec(text)?.[1];
  return count ? Number(count) : null;
}

function stillRunning(translator: ServiceProcess): void {
  const { exitCode, signalCode } = translator.child;
  if (exitCode !== null || signalCode !== null)
    throw new Error(`the translator ended by itself (${exitCode ?? signalCode}); log: ${translator.logFile}`);
}

describe('the integration translator killed with -9 while users join, change, leave and are forgotten', () => {
  const env = newReadSideEnv(PARTITIONS, { ownKeyStore: true });
  const topics = userTopicNames(env.prefix);
  const group = `${env.prefix}integration.users`;
  let command: CommandProcess | undefined;
  let query: Awaited<ReturnType<typeof startQuery>> | undefined;
  let gateway: Awaited<ReturnType<typeof startTestGateway>> | undefined;
  let first: ServiceProcess | undefined;
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    // The command service in a process of its own, as the translator: on a busy machine, each process gets its
    // share of the cores, and the one running the test has the gateway, the query service and the clients.
    command = await spawnCommandProcess(env.prefix, serviceEnv(env));
    // The topics exist once the command service is ready: the translator subscribes to users.events.
    const [queryStarted, translatorStarted] = await Promise.allSettled([
      startQuery(env),
      spawnIntegration(env, TRANSLATOR),
    ]);
    if (queryStarted.status === 'fulfilled') query = queryStarted.value;
    if (translatorStarted.status === 'fulfilled') first = translatorStarted.value;
    for (const s of [queryStarted, translatorStarted]) if (s.status === 'rejected') throw s.reason;
    gateway = await startTestGateway({
      commandUrl: command.url,
      queryUrl: query!.url,
      // A load test, not a rate-limit test: the clients' pace is the command path's.
      env: { RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000' },
    });
  }, 300_000);
  afterAll(async () => {
    await Promise.allSettled([first?.kill(), gateway?.gateway.stop(), command?.kill(), query?.stop()]);
    await dropOwnKeyStore(env);
  });

  /** Whether the translator's group has committed past the last record of each partition of users.events. */
  async function committedPast(last: ReadonlyMap<number, bigint>): Promise<boolean> {
    const [committed] = await withTestAdmin(testKafka('integration-fault-lag'), (admin) =>
      admin.fetchOffsets({ groupId: group, topics: [topics.events] }),
    );
    return [...last].every(
      ([partition, offset]) =>
        BigInt(committed!.partitions.find((p) => p.partition === partition)?.offset ?? '-1') > offset,
    );
  }

  it(`publishes exactly the expected facts, each once, in order per user (${USERS}+ users, ${ERASURES} erasures, ${KILLS} kills), and a replay from offset 0 adds nothing`, async () => {
    const { url, keys } = gateway!;
    let translator = first!;
    try {
      // The load and the kills, side by side: each life is killed a random moment after it has published something
      // of its own, then a new one is started; the load goes on (more users) until the last kill.
      const loadStarted = Date.now();
      let killing = true;
      let loadEnded = 0;
      const loaded = runUserLifecycles({
        url,
        key: keys.everything,
        users: USERS,
        erasures: ERASURES,
        workers: 12,
        moreWhile: () => killing,
      }).finally(() => (loadEnded = Date.now()));
      loaded.catch(() => undefined); // awaited below
      let killsDuringLoad = 0;
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          const life = translator;
          await waitFor(
            async () => {
              stillRunning(life);
              return ((await factsPublishedBy(life)) ?? 0) > 0;
            },
            {
              timeoutMs: 300_000,
              intervalMs: 200,
              description: `life ${kill + 1} of the translator to publish`,
            },
          );
          await sleep(Math.random() * 2000);
          stillRunning(life);
          if (loadEnded === 0) killsDuringLoad++;
          await life.kill();
          translator = await spawnIntegration(env, TRANSLATOR);
        }
      } finally {
        killing = false;
      }
      const lifecycles = await loaded;
      const loadSeconds = seconds(loadStarted, loadEnded);
      const steps = lifecycles.reduce((n, l) => n + l.steps.length, 0);

      // users.events as the load left it: the events the steps made, and where each partition ends.
      const log = await readStreamEventLog(topics, PARTITIONS, undefined, env.keyStoreDb);
      const last = new Map<number, bigint>();
      for (const { partition, offset } of log)
        if (offset > (last.get(partition) ?? -1n)) last.set(partition, offset);
      const ids = clientIdsFor(parseMasterKey(TEST_KEY_ENCRYPTION_KEY));
      const expected = expectedFacts(
        lifecycles,
        log.flatMap(({ event }) =>
          isEmailStreamId(event.metadata.streamId) ? [] : [event as RecordedUserEvent],
        ),
        (key) => ids.commandId(actorOf(keys.everything), key),
      );
      expect(expected.problems).toEqual([]);
      /** As many facts as the users can make: each user's longest sequence (every fact translated readable). */
      const factCount = [...expected.byUser.values()].reduce((n, [longest]) => n + longest!.length, 0);

      // The last life catches up: its facts are committed with its input offsets, so once the group is past the
      // end of users.events, every fact it will ever publish is on the topic.
      await waitFor(
        async () => {
          stillRunning(translator);
          return committedPast(last);
        },
        { timeoutMs: 300_000, intervalMs: 1000, description: 'the translator to catch up' },
      );
      const caughtUpAt = Date.now();
      const published = await readPublishedFacts(env.prefix, PARTITIONS);
      const problems = compareFacts(expected, published);
      const unreadable = published.filter((p) => p.fact.type !== 'UserErased' && p.fact.data.name === null);

      // The replay: the group reset to offset 0 (the operator's CLI, once the last life has left), a new life.
      translator.child.kill('SIGTERM');
      await waitFor(() => translator.child.exitCode !== null || translator.child.signalCode !== null, {
        timeoutMs: 60_000,
        description: 'the translator to stop on SIGTERM',
      });
      const replayStarted = Date.now();
      const reset = await eventfold(serviceEnv(env), 'replay', '--group', group, '--to', '0', '--wait');
      expect(reset.errors).toEqual([]);
      const again = Number(/: (\d+) records will be processed again/.exec(reset.lines.at(-1) ?? '')?.[1]);
      translator = await spawnIntegration(env, TRANSLATOR);
      await waitFor(
        async () => {
          stillRunning(translator);
          return committedPast(last);
        },
        { timeoutMs: 300_000, intervalMs: 1000, description: 'the replay to reach the end of users.events' },
      );
      const addedByReplay = await factsPublishedBy(translator);
      const afterReplay = await readPublishedFacts(env.prefix, PARTITIONS);
      const replaySeconds = seconds(replayStarted);

      console.log(
        [
          `integration translator kill -9: ${lifecycles.length} users (${ERASURES} erased), ${steps} commands acknowledged through the gateway,`,
          `${published.length} facts published of at most ${factCount} (${unreadable.length} of forgotten users translated unreadable),`,
          `${problems.length} problems; ${KILLS} kills (${killsDuringLoad} while the load ran);`,
          `replay of ${again} records from offset 0: ${afterReplay.length - published.length} facts added (metric ${addedByReplay});`,
          `start ${seconds(started, loadStarted)}, load ${loadSeconds}, caught up ${seconds(loadEnded, caughtUpAt)} after it, replay ${replaySeconds}, total ${seconds(started)}`,
        ].join(' '),
      );
      expect(problems).toEqual([]);
      expect(killsDuringLoad).toBe(KILLS);
      expect(reset.code).toBe(0);
      expect(again).toBeGreaterThan(0);
      expect(addedByReplay).toBe(0);
      expect(afterReplay).toEqual(published);
    } finally {
      await translator.kill();
    }
  });
});
