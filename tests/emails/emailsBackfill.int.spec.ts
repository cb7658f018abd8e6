import { randomUUID } from 'node:crypto';
import { eventfold } from '@eventfold/cli/testing';
import { checkStreams, readStreamEventLog } from '@eventfold/command-service/testing';
import { waitFor } from '@eventfold/testing';
import type { UserCommand } from '@eventfold/users-domain';
import { produceCommandsInBulk } from '../support/bulkCommands';
import {
  call,
  dropOwnKeyStore,
  newReadSideEnv,
  serviceEnv,
  startCommand,
  startProjectorInProcess,
  startQuery,
  topicsOf,
} from '../support/readSide';

jest.setTimeout(300_000);

/**
 * Issue 19, item 4: users registered before addresses had reservation streams (written here straight onto
 * users.commands, as the command path decided them then: no claim) get their addresses reserved by
 * `eventfold emails backfill`; two users with one address are reported and left as they are; a second run writes
 * nothing.
 */
describe('eventfold emails backfill', () => {
  const env = newReadSideEnv(4, { ownKeyStore: true });
  let command: Awaited<ReturnType<typeof startCommand>>;
  let projector: Awaited<ReturnType<typeof startProjectorInProcess>>;
  let query: Awaited<ReturnType<typeof startQuery>>;
  const address = (n: string) => `legacy-${n}-${env.prefix.slice(0, -1)}@example.com`;
  const legacy = (email: string) => {
    const userId = randomUUID();
    return {
      userId,
      streamId: `user-${userId}`,
      command: {
        type: 'RegisterUser',
        data: { userId, name: `Legacy ${email.slice(7, 12)}`, email, locale: null },
        metadata: {
          commandId: randomUUID(),
          now: Date.now(),
          actor: 'legacy',
          correlationId: 'l',
          causationId: 'l',
        },
      } as UserCommand,
    };
  };
  const emailOf = (u: { command: UserCommand }) => (u.command.data as { email: string }).email;
  const cli = (...argv: string[]) =>
    eventfold({}, 'emails', 'backfill', '--query-url', query.url, '--command-url', command.url, ...argv);
  const eventCount = async () =>
    (await readStreamEventLog(topicsOf(env), env.partitions, undefined, env.keyStoreDb)).length;

  beforeAll(async () => {
    command = await startCommand(env);
    projector = await startProjectorInProcess(env);
    query = await startQuery(env);
  });
  afterAll(async () => {
    await Promise.all([command?.stop(), projector?.stop(), query?.stop()]);
    await dropOwnKeyStore(env);
    expect([...(command?.fatal ?? []), ...(projector?.fatal ?? [])]).toEqual([]);
  });

  it('reserves every address one user holds, reports the shared ones by user id, and writes nothing the second time', async () => {
    const alone = ['a', 'b', 'c', 'd'].map((n) => legacy(address(n)));
    const sharing = [legacy(address('shared')), legacy(address('shared'))];
    const beaten = legacy(address('beaten'));
    await produceCommandsInBulk(
      topicsOf(env),
      `${env.prefix}command-processor.users`,
      [...alone, ...sharing, beaten],
      undefined,
      env.keyStoreDb,
    );
    // Since reservations exist: a new user takes an address a legacy user already has (nothing reserved it).
    const newcomer = await call(command.url, 'POST', '/v1/users', {
      name: 'Newcomer',
      email: address('beaten'),
    });
    expect(newcomer.status).toBe(201);
    await waitFor(
      async () => {
        const page = await call(query.url, 'GET', '/v1/users?limit=100');
        return (page.body!.items as unknown[]).length === 8;
      },
      { timeoutMs: 60_000, description: 'the read model to hold the 8 users' },
    );

    const dry = await cli('--dry-run');
    expect(dry.code).toBe(2);
    expect(dry.lines).toContain(
      `  shared address, left as it is: users ${sharing
        .map((u) => u.userId)
        .sort()
        .join(', ')}`,
    );
    expect(dry.lines.at(-1)).toBe('dry run: nothing written');
    expect(JSON.stringify(dry)).not.toContain('@example.com'); // users by id, never by address

    const before = await eventCount();
    const first = await cli();
    // The legacy user and the newcomer share an address: reported, and neither is touched.
    expect(first.lines).toContain(
      `  shared address, left as it is: users ${[beaten.userId, String(newcomer.body!.id)].sort().join(', ')}`,
    );
    expect(first.lines.at(-1)).toBe('reserved 4, taken 0, pending 0, shared 2');
    expect(first.code).toBe(2);
    const written = await eventCount();
    expect(written).toBeGreaterThan(before);

    // Run again: the same lines, and every reservation answered from the idempotency windows.
    const second = await cli();
    expect(second.lines).toEqual(first.lines);
    expect(await eventCount()).toBe(written);

    // The backfilled addresses are held now: nobody else can register with them.
    for (const user of alone) {
      const taken = await call(command.url, 'POST', '/v1/users', { name: 'Late', email: emailOf(user) });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'EMAIL_TAKEN' });
    }
    // The operator finds an address's reservation stream by the address (keyed with the master key): who holds it.
    const shown = await eventfold(
      serviceEnv(env),
      'streams',
      'show',
      '--email',
      emailOf(alone[1]!),
      '--json',
    );
    expect(shown.errors).toEqual([]);
    const reservation = shown.lines.map((l) => JSON.parse(l) as { type: string; data: { userId?: string } });
    expect(reservation.map((e) => e.type)).toEqual(['EmailReserved', 'EmailReservationConfirmed']);
    expect(reservation.map((e) => e.data.userId)).toEqual([alone[1]!.userId, alone[1]!.userId]);
    const withoutKey = await eventfold(
      { ...serviceEnv(env), KEY_ENCRYPTION_KEY: '' },
      'streams',
      'show',
      '--email',
      emailOf(alone[1]!),
    );
    expect(withoutKey.code).not.toBe(0);
    expect(withoutKey.errors).toEqual([expect.stringMatching(/KEY_ENCRYPTION_KEY must be set/)]);
    // A legacy user moves to another address and gives this one up, like any user.
    const moved = await call(command.url, 'PUT', `/v1/users/${alone[0]!.userId}/email`, {
      email: address('moved'),
    });
    expect(moved.status).toBe(200);
    await waitFor(
      async () =>
        (await call(command.url, 'POST', '/v1/users', { name: 'Successor', email: emailOf(alone[0]!) }))
          .status === 201,
      { timeoutMs: 30_000, description: 'the released address to be free' },
    );
    const log = await readStreamEventLog(topicsOf(env), env.partitions, undefined, env.keyStoreDb);
    expect(checkStreams(log).problems).toEqual([]);
  });

  it('never leaves an address held by a user who has moved on since the backfill read it', async () => {
    const registered = await call(command.url, 'POST', '/v1/users', {
      name: 'Mover',
      email: address('stale'),
    });
    expect(registered.status).toBe(201);
    const user = { userId: String(registered.body!.id) };
    const moved = await call(command.url, 'PUT', `/v1/users/${user.userId}/email`, {
      email: address('fresh'),
    });
    expect(moved.status).toBe(200);
    // What a backfill that read the user before the change sends: the user's stream settles it, and the claim expires.
    const adopted = await call(command.url, 'PUT', `/v1/email-reservations/${user.userId}`, {
      email: address('stale'),
    });
    expect(adopted.status).toBe(200);
    // Released by the change (a follow-up, written after the answer): free again once that is done.
    await waitFor(
      async () =>
        (await call(command.url, 'POST', '/v1/users', { name: 'Other', email: address('stale') })).status ===
        201,
      { timeoutMs: 30_000, description: 'the address to be free' },
    );
    const invalid = await call(command.url, 'PUT', `/v1/email-reservations/${user.userId}`, {
      email: 'nope',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_EMAIL' });
  });
});
