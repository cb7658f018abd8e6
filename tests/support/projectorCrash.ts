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
 * Projects `users` × 10 events while the projector process is killed with -9 each time a life of it has projected
 * a random share (`killAfterEvents`), then checks that the read model equals, document for document, a clean projection of
 * the same log from offset 0 by another consumer group into another database.
 */
export async function projectorCrashRun({
  users: USERS,
  killAfterEvents,
  minKills,
}: {
  users: number;
  killAfterEvents: [number, number];
  minKills: number;
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
    // A dead member holds its partitions for the session timeout, so the next life first waits to rejoin the group.
    const before = await countEvents(env.readDb);
    // Small slices: more checkpoints to die between, and partitions' writes land in small groups, not all at once.
    const projector = await spawnProjector(env, {
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      PROJECTOR_COMMIT_EVERY: '20',
    });
    // Killed after projecting a random number of events, not after a time: a fast projector would finish the whole
    // log before the first kill, and a slow rejoin would eat the delay.
    const killAt = Math.min(
      USERS * (RENAMES + 1),
      before + killAfterEvents[0] + Math.random() * (killAfterEvents[1] - killAfterEvents[0]),
    );
    try {
      await waitFor(
        async () => (await countEvents(env.readDb)) >= killAt || projector.child.exitCode !== null,
        { timeoutMs: 120_000, intervalMs: 10, description: 'this projector life to project its share' },
      );
    } finally {
      await projector.kill(); // also when the wait failed: no projector may outlive the test
    }
    kills++;
    if (Date.now() - started > 400_000) throw new Error(`not complete after ${kills} kills`);
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
