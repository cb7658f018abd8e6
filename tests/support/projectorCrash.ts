import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { testEndpoints, waitFor } from '@eventfold/testing';
import { produceCommandsInBulk, registrationsAndRenames } from './bulkCommands';
import { countEvents, readModelDocuments } from './readModelDocuments';
import {
  newReadSideEnv,
  spawnProjector,
  startCommand,
  startProjectorInProcess,
  topicsOf,
  type ReadSideEnv,
} from './readSide';

const RENAMES = 9; // users × 10 events

async function complete(db: string, USERS: number): Promise<boolean> {
  const counts = await Promise.all(
    testEndpoints().mongoShards.map(async (uri) => {
      const client = new MongoClient(uri);
      try {
        const events = await client.db(db).collection('user_events').countDocuments();
        const finished = await client
          .db(db)
          .collection('users')
          .countDocuments({ version: RENAMES + 1 });
        return { events, finished };
      } finally {
        await client.close();
      }
    }),
  );
  if (process.env.CRASH_TEST_TRACE) {
    const line = `events ${counts.reduce((n, c) => n + c.events, 0)} finished ${counts.reduce((n, c) => n + c.finished, 0)} at ${new Date().toISOString()}\n`;
    fs.appendFileSync(process.env.CRASH_TEST_TRACE, line);
  }
  return (
    counts.reduce((n, c) => n + c.events, 0) === USERS * (RENAMES + 1) &&
    counts.reduce((n, c) => n + c.finished, 0) === USERS
  );
}

/**
 * Projects `users` × 10 events while the projector process is killed with -9 again and again, then checks that the
 * read model equals, document for document, a clean projection of the same log from offset 0 by another consumer
 * group into another database. Each life ends a moment (`killAfterMs`) after it becomes ready, or, with
 * `killEveryEvents`, once it has applied that many more events: on a fast machine a small run would otherwise finish
 * within its first life, and on a busy one a time-based loop can starve.
 */
export async function projectorCrashRun({
  users: USERS,
  killAfterMs,
  killEveryEvents,
  minKills,
  projectorEnv = {},
}: {
  users: number;
  killAfterMs: [number, number];
  killEveryEvents?: number;
  minKills: number;
  /** Extra projector settings, e.g. smaller commits so that a small run spans several lives. */
  projectorEnv?: Record<string, string>;
}) {
  const env: ReadSideEnv = newReadSideEnv();
  const command = await startCommand(env);
  try {
    await produceCommandsInBulk(
      topicsOf(env),
      `${env.prefix}command-processor.users`,
      registrationsAndRenames(USERS, RENAMES),
    );
  } finally {
    await command.stop();
  }

  const started = Date.now();
  let kills = 0;
  while (!(await complete(env.readDb, USERS))) {
    // Killed with -9 about every 2 s of projecting (a dead member holds its partitions for the session
    // timeout, so the next life first waits to rejoin the group).
    const before = await countEvents(env.readDb);
    const projector = await spawnProjector(env, { CONSUMER_SESSION_TIMEOUT_MS: '6000', ...projectorEnv });
    await new Promise((resolve) =>
      setTimeout(resolve, killAfterMs[0] + Math.random() * (killAfterMs[1] - killAfterMs[0])),
    );
    if (killEveryEvents)
      await waitFor(
        async () =>
          (await countEvents(env.readDb)) >= Math.min(before + killEveryEvents, USERS * (RENAMES + 1)),
        {
          timeoutMs: 120_000,
          intervalMs: 20,
          description: `the projector to apply ${killEveryEvents} more events`,
        },
      ).catch(() => undefined);
    await projector.kill();
    kills++;
    if (Date.now() - started > 900_000) throw new Error(`not complete after ${kills} kills`);
  }
  const crashSeconds = (Date.now() - started) / 1000;
  expect(kills).toBeGreaterThanOrEqual(minKills);

  const clean: ReadSideEnv = { ...env, readDb: `${env.readDb}_clean` };
  const reference = await startProjectorInProcess(clean, {
    PROJECTOR_GROUP_ID: `${env.prefix}projector.clean`,
  });
  try {
    await waitFor(() => complete(clean.readDb, USERS), {
      timeoutMs: 300_000,
      intervalMs: 1000,
      description: 'the clean projection',
    });
  } finally {
    await reference.stop();
  }

  const [crashed, reference_] = await Promise.all([
    readModelDocuments(env.readDb),
    readModelDocuments(clean.readDb),
  ]);
  crashed.forEach((shard, i) => {
    expect(shard.users).toEqual(reference_[i]!.users);
    expect(shard.events).toEqual(reference_[i]!.events);
  });
  console.log(
    `projector crash test: ${USERS * (RENAMES + 1)} events, ${kills} kill -9, ${crashSeconds.toFixed(0)} s; read model identical to a clean projection`,
  );
}
