import { createLogger } from '@eventfold/observability';
import { isEmailStreamId, userStreamId } from '@eventfold/users-domain';
import type { CommandResult } from '../processing/commandResult';
import { isUserState } from '../processing/streamCommands';
import { InMemoryCommandPath } from '../testing/inMemoryCommandPath';
import { claimEmail, type ClaimingCommand, type SendCommand } from './claimEmail';
import { emailStreamIds } from './emailStreamIds';
import { ReservationSweeper } from './reservationSweeper';
import { EMAIL_RESERVATION_EXPIRED } from './settleEmailClaim';

const emailStreamOf = emailStreamIds(Buffer.alloc(32, 1));
const timeoutMs = 30_000;
const ada = '0f8fad5b-d9cb-469f-a165-70867728950e';
const bob = '6ba7b810-9dad-41d1-80b4-00c04fd430c8';
const ADDRESS = 'shared@example.com';

let path: InMemoryCommandPath;
let sweeper: ReservationSweeper;
let ids = 0;

beforeEach(() => {
  path = new InMemoryCommandPath({
    emailStreamOf,
    window: { windowMs: 24 * 3600_000, maxCommands: 100 },
    partitions: 1,
    now: Date.UTC(2026, 11, 2, 12, 0),
  });
  sweeper = new ReservationSweeper({
    send: path.send,
    timeoutMs,
    clock: () => path.now,
    logger: createLogger('test', 'silent'),
    ownedPartitions: () => [0],
  });
  sweeper.watch(0, path.streams);
});

const metadata = (commandId: string) => ({
  commandId,
  now: path.now,
  actor: 'key:test',
  correlationId: commandId,
  causationId: commandId,
});

function register(userId: string, email: string, commandId = `cmd-${++ids}`): ClaimingCommand {
  return {
    streamId: userStreamId(userId),
    expectedVersion: null,
    command: {
      type: 'RegisterUser',
      data: { userId, name: 'Ada', email, locale: null },
      metadata: metadata(commandId),
    },
    requestFingerprint: null,
  };
}

function changeEmail(userId: string, email: string, commandId = `cmd-${++ids}`): ClaimingCommand {
  return {
    streamId: userStreamId(userId),
    expectedVersion: null,
    command: { type: 'ChangeUserEmail', data: { email }, metadata: metadata(commandId) },
    requestFingerprint: null,
  };
}

const claim = (incoming: ClaimingCommand, send: SendCommand = path.send) =>
  claimEmail(send, incoming, { emailStreamOf, reserveWaitMs: 1000, waitMs: 1000, headers: {} });

/**
 * A claim process killed at its `n`-th send (the command of that send stored first when `stored`): that send and
 * every later one fail, and nothing after the kill reaches the log.
 */
function crashingAt(n: number, stored: boolean): SendCommand {
  let sends = 0;
  return async (command, waitMs, headers) => {
    sends++;
    if (sends < n) return path.send(command, waitMs, headers);
    if (sends === n && stored) path.queue.push(command);
    throw new Error('the process was killed');
  };
}

async function sweepAfterTimeout(): Promise<void> {
  path.now += timeoutMs;
  await sweeper.sweep();
  path.decideAll();
}

/** Who holds what, from the streams: throws when an invariant of decision 0016 does not hold. */
function holdings(): {
  users: Map<string, string>;
  reservations: Map<string, { status: string; userId: string }>;
} {
  const users = new Map<string, string>();
  const reservations = new Map<string, { status: string; userId: string }>();
  for (const [streamId, { state }] of path.streams) {
    if (isUserState(state)) {
      if (state.status !== 'not-registered' && !state.forgotten) users.set(state.userId, state.email);
    } else if (state.status !== 'free') {
      expect(isEmailStreamId(streamId)).toBe(true);
      const status = state.confirmedAtVersion === null ? 'reserved' : 'confirmed';
      reservations.set(streamId, { status, userId: state.userId });
    }
  }
  const holders = new Map<string, string>();
  for (const [userId, email] of users) {
    const stream = emailStreamOf(email);
    // Every user's current address is reserved by that user, and no address is held by two users.
    expect(reservations.get(stream)?.userId).toBe(userId);
    expect(holders.get(stream)).toBeUndefined();
    holders.set(stream, userId);
  }
  return { users, reservations };
}

const resultOf = (outcome: Awaited<ReturnType<SendCommand>>): CommandResult => {
  if (outcome.status !== 'completed') throw new Error('expected a result');
  return outcome.result;
};

describe('claiming an address', () => {
  it('registers the first user and refuses the second with EMAIL_TAKEN, writing nothing for it', async () => {
    expect(resultOf(await claim(register(ada, ADDRESS))).outcome).toBe('succeeded');
    const second = resultOf(await claim(register(bob, ' shared@EXAMPLE.com ')));
    expect(second).toMatchObject({
      outcome: 'rejected',
      commandType: 'RegisterUser',
      streamId: userStreamId(bob),
      error: { code: 'EMAIL_TAKEN' },
    });
    expect(second.error!.message).not.toContain(ada);
    const { users, reservations } = holdings();
    expect([...users.keys()]).toEqual([ada]);
    expect([...reservations.values()]).toEqual([{ status: 'confirmed', userId: ada }]);
  });

  it('lets two claims that interleave end in exactly one user', async () => {
    path.autoDecide = false;
    const first = claim(register(ada, ADDRESS));
    const second = claim(register(bob, ADDRESS));
    // Both reservations are stored before either is decided.
    await new Promise((r) => setImmediate(r));
    expect(path.queue).toHaveLength(2);
    path.autoDecide = true;
    path.decideAll();
    const outcomes = (await Promise.all([first, second])).map(resultOf);
    expect(outcomes.map((r) => r.error?.code ?? r.outcome)).toEqual(['succeeded', 'EMAIL_TAKEN']);
    path.decideAll();
    const { users, reservations } = holdings();
    expect([...users.keys()]).toEqual([ada]);
    expect(reservations.size).toBe(1);
  });

  it('reserves nothing twice on a retry with the same command id', async () => {
    await claim(register(ada, ADDRESS, 'key-1'));
    const retry = resultOf(await claim(register(ada, ADDRESS, 'key-1')));
    expect(retry.outcome).toBe('succeeded');
    expect(holdings().reservations.get(emailStreamOf(ADDRESS))).toEqual({ status: 'confirmed', userId: ada });
  });

  it('gives the address back when the user command is refused', async () => {
    const refused = resultOf(await claim(changeEmail(ada, ADDRESS)));
    expect(refused.error?.code).toBe('USER_NOT_FOUND');
    path.decideAll();
    expect(holdings().reservations.size).toBe(0);
    expect(resultOf(await claim(register(bob, ADDRESS))).outcome).toBe('succeeded');
  });

  it('moves the reservation with an address change: the new one confirmed, the old one released', async () => {
    await claim(register(ada, 'old@example.com'));
    expect(resultOf(await claim(changeEmail(ada, ADDRESS))).outcome).toBe('succeeded');
    path.decideAll();
    const { reservations } = holdings();
    expect(reservations.has(emailStreamOf('old@example.com'))).toBe(false);
    expect(resultOf(await claim(register(bob, 'old@example.com'))).outcome).toBe('succeeded');
  });

  it("keeps the address of a deactivated user, and releases a forgotten user's", async () => {
    await claim(register(ada, ADDRESS));
    const command = (type: 'DeactivateUser' | 'ForgetUser', id: string) => ({
      streamId: userStreamId(ada),
      expectedVersion: null,
      command: { type, data: { reason: null }, metadata: metadata(id) },
      requestFingerprint: null,
    });
    await path.send(command('DeactivateUser', 'deactivate'), 1000, {});
    expect(resultOf(await claim(register(bob, ADDRESS))).error?.code).toBe('EMAIL_TAKEN');
    await path.send(command('ForgetUser', 'forget'), 1000, {});
    path.decideAll();
    expect(resultOf(await claim(register(bob, ADDRESS))).outcome).toBe('succeeded');
    holdings();
  });
});

describe('a claim process killed at each step ends consistent', () => {
  it('killed before the reservation is stored: nothing is held', async () => {
    await expect(claim(register(ada, ADDRESS), crashingAt(1, false))).rejects.toThrow('killed');
    expect(holdings().reservations.size).toBe(0);
  });

  it('killed after the reservation, before the user command: the sweeper releases it after the timeout', async () => {
    await expect(claim(register(ada, ADDRESS), crashingAt(2, false))).rejects.toThrow('killed');
    expect(holdings().reservations.get(emailStreamOf(ADDRESS))?.status).toBe('reserved');
    expect(resultOf(await claim(register(bob, ADDRESS))).error?.code).toBe('EMAIL_TAKEN');
    path.now += timeoutMs - 1;
    expect(await sweeper.sweep()).toBe(0);
    await sweepAfterTimeout();
    expect(holdings().reservations.size).toBe(0);
    expect(resultOf(await claim(register(bob, ADDRESS))).outcome).toBe('succeeded');
    holdings();
  });

  it('killed with the user command stored but undecided, settled first: the command is refused later', async () => {
    const original = register(ada, ADDRESS, 'key-ada');
    path.autoDecide = false;
    const crashed = claim(original, crashingAt(2, true));
    await new Promise((r) => setImmediate(r));
    // The reservation is decided; the user command waits behind what the sweeper sends.
    path.decideNext();
    await expect(crashed).rejects.toThrow('killed');
    const late = path.queue.splice(0);
    path.now += timeoutMs;
    await sweeper.sweep();
    path.queue.push(...late);
    path.decideAll();
    expect(path.results.get('key-ada')).toMatchObject({
      outcome: 'rejected',
      error: { code: EMAIL_RESERVATION_EXPIRED },
    });
    const { users, reservations } = holdings();
    expect(users.size).toBe(0);
    expect(reservations.size).toBe(0);
  });

  it('killed with the user command stored, decided before the settlement: the user keeps the address', async () => {
    await expect(claim(register(ada, ADDRESS), crashingAt(2, true))).rejects.toThrow('killed');
    path.decideAll();
    await sweepAfterTimeout();
    const { users, reservations } = holdings();
    expect(users.get(ada)).toBe(ADDRESS);
    expect(reservations.get(emailStreamOf(ADDRESS))).toEqual({ status: 'confirmed', userId: ada });
  });

  it('killed after the user event, before anything else: the confirmation was written with the event', async () => {
    path.autoDecide = false;
    const crashed = claim(register(ada, ADDRESS), crashingAt(3, false));
    await new Promise((r) => setImmediate(r));
    path.decideNext();
    await new Promise((r) => setImmediate(r));
    path.decideAll();
    await crashed.catch(() => undefined);
    expect(holdings().reservations.get(emailStreamOf(ADDRESS))).toEqual({ status: 'confirmed', userId: ada });
    await sweepAfterTimeout();
    expect(holdings().users.get(ada)).toBe(ADDRESS);
  });

  it('killed after a refusal, before giving the address back: the sweeper expires it', async () => {
    await claim(register(ada, 'ada@example.com'));
    const refusedChange = { ...changeEmail(ada, ADDRESS), expectedVersion: 7 };
    await expect(claim(refusedChange, crashingAt(3, false))).rejects.toThrow('killed');
    expect(holdings().reservations.get(emailStreamOf(ADDRESS))?.status).toBe('reserved');
    await sweepAfterTimeout();
    expect(holdings().reservations.has(emailStreamOf(ADDRESS))).toBe(false);
    expect(holdings().users.get(ada)).toBe('ada@example.com');
  });

  it('a retry with the same key after a kill finishes the claim', async () => {
    await expect(claim(register(ada, ADDRESS, 'key-ada'), crashingAt(2, false))).rejects.toThrow('killed');
    expect(resultOf(await claim(register(ada, ADDRESS, 'key-ada'))).outcome).toBe('succeeded');
    await sweepAfterTimeout();
    expect(holdings().users.get(ada)).toBe(ADDRESS);
  });
});
