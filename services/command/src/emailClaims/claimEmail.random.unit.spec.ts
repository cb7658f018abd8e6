import { createLogger } from '@eventfold/observability';
import { userStreamId } from '@eventfold/users-domain';
import { isUserState } from '../processing/streamCommands';
import { InMemoryCommandPath } from '../testing/inMemoryCommandPath';
import { claimEmail, type ClaimingCommand, type SendCommand } from './claimEmail';
import { emailStreamIds } from './emailStreamIds';
import { ReservationSweeper } from './reservationSweeper';

// Many claims over few addresses, interleaved at random and killed at random steps, then left to the sweeper: the
// invariants of decision 0016 hold at the end of every run. Seeded, so a failure names the run that shows it.

const emailStreamOf = emailStreamIds(Buffer.alloc(32, 2));
const timeoutMs = 30_000;
const users = Array.from(
  { length: 8 },
  (_, i) => `0f8fad5b-d9cb-469f-a165-7086772895${String(i).padStart(2, '0')}`,
);
const addresses = Array.from({ length: 4 }, (_, i) => `shared${i}@example.com`);

/** mulberry32: a small seeded generator, so that each run can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tick = () => new Promise((r) => setImmediate(r));

async function run(seed: number) {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const path = new InMemoryCommandPath({
    emailStreamOf,
    window: { windowMs: 24 * 3600_000, maxCommands: 100 },
    partitions: 1,
    now: Date.UTC(2026, 11, 2, 12, 0),
  });
  path.autoDecide = false;
  const sweeper = new ReservationSweeper({
    send: path.send,
    timeoutMs,
    clock: () => path.now,
    logger: createLogger('test', 'silent'),
    ownedPartitions: () => [0],
  });
  sweeper.watch(0, path.streams);
  const registered = new Set<string>();
  const claims: Promise<unknown>[] = [];
  let ids = 0;

  const killedAt = (n: number, stored: boolean): SendCommand => {
    let sends = 0;
    return async (command, waitMs, headers) => {
      sends++;
      if (sends < n) return path.send(command, waitMs, headers);
      if (sends === n && stored) path.queue.push(command);
      throw new Error('killed');
    };
  };

  for (let step = 0; step < 60; step++) {
    const action = rnd();
    if (action < 0.45) {
      const userId = pick(users);
      const email = pick(addresses);
      const commandId = `cmd-${seed}-${++ids}`;
      const metadata = {
        commandId,
        now: path.now,
        actor: 'key:test',
        correlationId: commandId,
        causationId: commandId,
      };
      const incoming: ClaimingCommand = registered.has(userId)
        ? {
            streamId: userStreamId(userId),
            expectedVersion: null,
            command: { type: 'ChangeUserEmail', data: { email }, metadata },
            requestFingerprint: null,
          }
        : {
            streamId: userStreamId(userId),
            expectedVersion: null,
            command: { type: 'RegisterUser', data: { userId, name: 'Ada', email, locale: null }, metadata },
            requestFingerprint: null,
          };
      registered.add(userId);
      const send = rnd() < 0.3 ? killedAt(1 + Math.floor(rnd() * 3), rnd() < 0.5) : path.send;
      claims.push(
        claimEmail(send, incoming, { emailStreamOf, reserveWaitMs: 1000, waitMs: 1000, headers: {} }).catch(
          () => undefined,
        ),
      );
    } else if (action < 0.5) {
      const userId = pick(users);
      const commandId = `cmd-${seed}-${++ids}`;
      const metadata = {
        commandId,
        now: path.now,
        actor: 'key:test',
        correlationId: commandId,
        causationId: commandId,
      };
      const type = rnd() < 0.5 ? 'ForgetUser' : 'DeactivateUser';
      void path.send(
        {
          streamId: userStreamId(userId),
          expectedVersion: null,
          command: { type, data: { reason: null }, metadata },
          requestFingerprint: null,
        },
        0,
        {},
      );
    } else if (action < 0.9) {
      for (let i = Math.floor(rnd() * 4); i >= 0; i--) path.decideNext();
    } else {
      path.now += Math.floor(rnd() * timeoutMs);
      await sweeper.sweep();
    }
    await tick();
  }
  // Everything stored is decided, the claims still alive finish, and the sweeper settles what the kills left.
  for (let round = 0; round < 5; round++) {
    path.decideAll();
    await tick();
    path.now += timeoutMs;
    await sweeper.sweep();
  }
  path.decideAll();
  await Promise.all(claims);
  path.decideAll();
  return path;
}

describe('claims killed and interleaved at random end consistent', () => {
  it.each(Array.from({ length: 100 }, (_, i) => [i + 1]))('run %i', async (seed) => {
    const path = await run(seed);
    const holders = new Map<string, string>();
    const reservations = new Map<string, { status: string; userId: string }>();
    for (const [streamId, { state }] of path.streams) {
      if (isUserState(state)) {
        if (state.status !== 'not-registered' && !state.forgotten)
          holders.set(state.userId, emailStreamOf(state.email));
      } else if (state.status !== 'free') {
        expect(state.pending).toEqual([]);
        reservations.set(streamId, { status: 'confirmed', userId: state.userId });
      }
    }
    // Every user's current address is reserved, and confirmed, for that user: so no address has two users.
    for (const [userId, stream] of holders) {
      expect(reservations.get(stream)).toEqual({ status: 'confirmed', userId });
    }
    // No reservation is left without its user once the sweeper has run.
    for (const [stream, { userId }] of reservations) expect(holders.get(userId)).toBe(stream);
  });
});
