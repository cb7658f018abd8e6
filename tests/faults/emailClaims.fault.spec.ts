import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sleep } from '@eventfold/core';
import { parseMasterKey } from '@eventfold/crypto';
import {
  randomName,
  spawnService,
  TEST_KEY_ENCRYPTION_KEY,
  waitFor,
  type ServiceProcess,
} from '@eventfold/testing';
import {
  checkStreams,
  clientIdsFor,
  emailStreamIdsFor,
  readStreamEventLog,
  withoutCopies,
  type LoggedStreamEvent,
} from '@eventfold/command-service/testing';
import { isEmailStreamId, userStreamId, type RecordedUserEvent } from '@eventfold/users-domain';
import { emailHoldingProblems, emailHoldingsOf } from '../support/emailHoldings';
import { faultScale } from '../support/faultScale';
import { dropOwnKeyStore, newReadSideEnv, serviceEnv, topicsOf } from '../support/readSide';

jest.setTimeout(900_000);

const main = path.resolve(__dirname, '..', '..', 'services', 'command', 'src', 'main.ts');
const ADDRESSES = 50;
const WORKERS = 10;
/** Users each client registers: 30 users over 50 addresses, so that most changes and many registrations collide. */
const USERS_PER_WORKER = 3;
/** Short, so that the sweeper settles what a kill left within the test (the default is 30 s). */
const RESERVATION_TIMEOUT_MS = 3000;
/** How long a client retries one command with the same Idempotency-Key: a restart on a loaded machine is slow. */
const RETRY_MS = 240_000;

const ids = clientIdsFor(parseMasterKey(TEST_KEY_ENCRYPTION_KEY));
const emailStreamOf = emailStreamIdsFor(parseMasterKey(TEST_KEY_ENCRYPTION_KEY));

/** One command of the run and its final answer (status 0: none, the client gave up or RETRY_MS ran out). */
interface ClaimCommand {
  readonly kind: 'register' | 'change';
  readonly commandId: string;
  readonly userId: string;
  readonly email: string;
  readonly status: number;
  readonly code: string | null;
  readonly attempts: number;
}

/** A final answer: one that the same request again would not change (not a lost connection, 202 or 5xx). */
const final = (status: number) => status !== 0 && status !== 202 && status < 500;
const tookEffect = (c: ClaimCommand) => c.status === 200 || c.status === 201;

describe('the command service killed with -9 while clients claim 50 addresses', () => {
  const env = newReadSideEnv(4, { ownKeyStore: true });
  const services: ServiceProcess[] = [];
  afterAll(async () => {
    for (const s of services) await s.kill();
    await dropOwnKeyStore(env);
  });

  it('leaves every address with at most one user, every user with its own, nothing dangling, each 2xx once', async () => {
    const scale = faultScale();
    const operations = scale > 1 ? 500 : 250;
    const killCount = scale > 1 ? 6 : 3;
    const environment = serviceEnv(env, {
      EMAIL_RESERVATION_TIMEOUT_MS: String(RESERVATION_TIMEOUT_MS),
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'info',
    });
    const start = async () => {
      const service = await spawnService(main, environment);
      services.push(service);
      return service;
    };
    let service = await start();
    const startedAt = Date.now();
    const domain = `${randomName('claims')}.example.com`;
    const addresses = Array.from({ length: ADDRESSES }, (_, i) => `person${i}@${domain}`);
    const pick = () => addresses[Math.floor(Math.random() * addresses.length)]!;

    /**
     * Sends one request, with the same Idempotency-Key, to whichever service runs, until it has a final answer. A
     * client whose request was cut off in flight (the service killed under it) does what real clients do: some
     * retry at once, some come back only after the reservation timed out (the sweeper may have settled the claim:
     * 409 EMAIL_RESERVATION_EXPIRED), and some give up (what they left, the sweeper must settle). A refused
     * connection (the service down) reached nothing: it is retried.
     */
    const request = async (method: string, url: string, body: unknown, key: string) => {
      const deadline = Date.now() + RETRY_MS;
      let attempts = 0;
      let cutOff = false;
      let answer: { status: number; json: Record<string, unknown> | null } = { status: 0, json: null };
      while (Date.now() < deadline) {
        attempts++;
        let refused = false;
        try {
          const response = await fetch(`${service.url}${url}`, {
            method,
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          answer = {
            status: response.status,
            json: (await response.json().catch(() => null)) as Record<string, unknown> | null,
          };
        } catch (error) {
          refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
          answer = { status: 0, json: null };
        }
        if (final(answer.status)) break;
        if (answer.status === 0 && !refused && !cutOff) {
          cutOff = true;
          const dice = Math.random();
          if (dice < 0.4) return { status: 0, json: { code: 'ABANDONED' }, attempts };
          if (dice < 0.7) await sleep(RESERVATION_TIMEOUT_MS + Math.random() * 4 * RESERVATION_TIMEOUT_MS);
        }
        await sleep(answer.status === 0 ? 250 : 500);
      }
      return { ...answer, attempts };
    };

    const commands: ClaimCommand[] = [];
    let next = 0;
    /** Every user registered so far: any client changes any of them, so one user's changes also race. */
    const users: string[] = [];
    const worker = async () => {
      let registered = 0;
      while (next < operations) {
        next++;
        const key = randomUUID();
        const email = pick();
        const register = registered < USERS_PER_WORKER;
        const userId = register
          ? ids.userId('anonymous', key)
          : users[Math.floor(Math.random() * users.length)]!;
        const answer = register
          ? await request('POST', '/v1/users', { name: 'Claimant', email }, key)
          : await request('PUT', `/v1/users/${userId}/email`, { email }, key);
        commands.push({
          kind: register ? 'register' : 'change',
          commandId: ids.commandId('anonymous', key),
          userId,
          email,
          status: final(answer.status) ? answer.status : 0,
          // An abandoned request has no answer: its code says so.
          code: typeof answer.json?.code === 'string' ? answer.json.code : null,
          attempts: answer.attempts,
        });
        if (register && answer.status === 201) {
          registered++;
          users.push(userId);
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));

    // Kills at random points of the run, each after a random moment once its share of commands is answered.
    const killPoints = Array.from(
      { length: killCount },
      (_, i) => Math.floor(((i + 0.2 + 0.6 * Math.random()) / (killCount + 1)) * operations) + 5,
    );
    const restartsMs: number[] = [];
    const killAndRestart = async () => {
      await service.kill();
      const killedAt = Date.now();
      service = await start();
      restartsMs.push(Date.now() - killedAt);
    };
    for (const [i, point] of killPoints.entries()) {
      await waitFor(() => commands.length >= point, {
        timeoutMs: RETRY_MS * 2,
        intervalMs: 20,
        description: `${point} commands answered before the next kill`,
      });
      await sleep(Math.random() * 300);
      await killAndRestart();
      // The full run kills every other new instance again at once: while it restores and takes the retries.
      if (scale > 1 && i % 2 === 1) {
        await sleep(Math.random() * 1500);
        await killAndRestart();
      }
    }
    await load;
    const loadMs = Date.now() - startedAt;

    // The last service runs on: its sweeper settles the reservations the kills left without their user command.
    const read = async () =>
      withoutCopies(await readStreamEventLog(topicsOf(env), env.partitions, undefined, env.keyStoreDb));
    let log: LoggedStreamEvent[] = [];
    let copies = 0;
    const settledAt = Date.now();
    await waitFor(
      async () => {
        const read1 = await read();
        log = read1.log;
        copies = read1.copies.length;
        return emailHoldingProblems(emailHoldingsOf(log), emailStreamOf).length === 0;
      },
      { timeoutMs: 180_000, intervalMs: 3000, description: 'the reservations to settle' },
    ).catch(() => undefined); // the assertions below say what is left
    const settleMs = Date.now() - settledAt;
    await service.kill();

    // A command's effect: the user events it caused, each as `type streamId email`.
    const byCommand = new Map<string, string[]>();
    let settledClaims = 0;
    for (const { event } of log) {
      const { causationId, streamId } = event.metadata;
      if (isEmailStreamId(streamId)) {
        // The settlement's follow-up (settleClaim.ts): a claim the sweeper confirmed or expired.
        if (causationId.endsWith('/settle/follow-up')) settledClaims++;
        continue;
      }
      const e = event as RecordedUserEvent;
      const email =
        e.type === 'UserRegistered' ? e.data.email : e.type === 'UserEmailChanged' ? e.data.newEmail : '';
      byCommand.set(causationId, [...(byCommand.get(causationId) ?? []), `${e.type} ${streamId} ${email}`]);
    }
    const effects = (c: ClaimCommand) => byCommand.get(c.commandId) ?? [];
    const expectedEffect = (c: ClaimCommand) =>
      `${c.kind === 'register' ? 'UserRegistered' : 'UserEmailChanged'} ${userStreamId(c.userId)} ${c.email}`;
    const notOnce = commands
      .filter(tookEffect)
      .filter((c) => effects(c).length !== 1 || effects(c)[0] !== expectedEffect(c));
    const twice = commands.filter((c) => effects(c).length > 1);
    const refusedButTookEffect = commands.filter((c) => c.status >= 400 && effects(c).length > 0);
    const unanswered = commands.filter((c) => c.status === 0 && c.code !== 'ABANDONED');
    const holdings = emailHoldingsOf(log);
    const problems = emailHoldingProblems(holdings, emailStreamOf);
    const held = [...holdings.reservations.values()].filter((s) => s.status === 'held').length;

    const byStatus = new Map<string, number>();
    for (const c of commands) {
      const label = c.code ? `${c.status} ${c.code}` : String(c.status);
      byStatus.set(label, (byStatus.get(label) ?? 0) + 1);
    }
    console.log(
      [
        `email claims kill -9: ${commands.length} commands over ${ADDRESSES} addresses`,
        `(${[...byStatus].map(([label, n]) => `${label}: ${n}`).join(', ')}),`,
        `${commands.reduce((n, c) => n + c.attempts - 1, 0)} retries; ${restartsMs.length} kills, ready again after`,
        `${restartsMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; load ${(loadMs / 1000).toFixed(0)} s,`,
        `settled ${(settleMs / 1000).toFixed(0)} s after it; ${log.length} events checked (${copies} stored twice),`,
        `${settledClaims} claims settled by the sweeper; ${held} addresses held, ${holdings.users.size} users,`,
        `${notOnce.length} 2xx not exactly once`,
      ].join(' '),
    );
    if (problems.length + notOnce.length + twice.length + refusedButTookEffect.length > 0)
      console.log(
        `problems: ${JSON.stringify({
          problems,
          notOnce: notOnce.map((c) => ({ ...c, effects: effects(c) })),
          twice: twice.map((c) => ({ ...c, effects: effects(c) })),
          refusedButTookEffect: refusedButTookEffect.map((c) => ({ ...c, effects: effects(c) })),
          logs: services.map((s) => s.logFile),
        })}`,
      );
    expect(commands).toHaveLength(operations);
    expect(unanswered).toEqual([]);
    expect(problems).toEqual([]);
    expect(notOnce).toEqual([]);
    expect(twice).toEqual([]);
    expect(refusedButTookEffect).toEqual([]);
    expect(checkStreams(log).problems).toEqual([]);
    // Every 201 made the user it named; the kills happened under load, and the addresses did collide.
    for (const c of commands.filter((c) => c.status === 201))
      expect(holdings.users.get(userStreamId(c.userId))?.status).not.toBe('not-registered');
    expect(restartsMs).toHaveLength(scale > 1 ? killCount * 1.5 : killCount);
    expect(commands.filter((c) => c.code === 'EMAIL_TAKEN').length).toBeGreaterThan(0);
    expect(held).toBeGreaterThan(0);
  });
});
