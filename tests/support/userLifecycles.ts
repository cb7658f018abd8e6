import { randomUUID } from 'node:crypto';
import { retry } from '@eventfold/core';
import { waitFor } from '@eventfold/testing';

/** What a client does to a user, in order. */
export type PlannedStep =
  | { readonly kind: 'register'; readonly name: string; readonly email: string }
  | { readonly kind: 'rename' | 'correct'; readonly name: string }
  | { readonly kind: 'deactivate' | 'reactivate' | 'forget' };

/** A step the client was acknowledged for: the version it was answered, and the Idempotency-Key it sent. */
export type Step = PlannedStep & { readonly version: number; readonly idempotencyKey: string };

export interface Lifecycle {
  readonly userId: string;
  readonly steps: readonly Step[];
}

/**
 * User `i` of `users`: registered, renamed one to three times, every third deactivated (every sixth of those
 * reactivated and renamed again), every tenth's name corrected, and `erasures` of them, spread evenly, forgotten
 * last. Each step changes what a consumer of users.integration.v1 sees, so each makes one fact.
 */
export function plannedSteps(i: number, users: number, erasures: number): PlannedStep[] {
  const tag = randomUUID().slice(0, 8);
  const steps: PlannedStep[] = [
    { kind: 'register', name: `Lifecycle ${i}`, email: `lifecycle-${i}-${tag}@example.com` },
  ];
  for (let r = 1; r <= 1 + (i % 3); r++) steps.push({ kind: 'rename', name: `Lifecycle ${i} rename ${r}` });
  if (i % 10 === 5) steps.push({ kind: 'correct', name: `Lifecycle ${i} corrected` });
  if (i % 3 === 1) {
    steps.push({ kind: 'deactivate' });
    if (i % 6 === 1) {
      steps.push({ kind: 'reactivate' });
      steps.push({ kind: 'rename', name: `Lifecycle ${i} back` });
    }
  }
  const every = Math.max(1, Math.floor(users / Math.max(1, erasures)));
  if (i % every === 0 && i / every < erasures) steps.push({ kind: 'forget' });
  return steps;
}

class NoAnswerYet extends Error {}

/** A command refused for good: its answer's problem code says why. */
class Refused extends Error {
  constructor(
    message: string,
    readonly code: unknown,
  ) {
    super(message);
  }
}

/** The registration took longer than its address's reservation (decision 0016): a new one is the way on. */
const RESERVATION_EXPIRED = 'EMAIL_RESERVATION_EXPIRED';

/**
 * Drives `users` lifecycles (plannedSteps) through the gateway with `workers` clients, each taking the next user
 * and running its steps in order. A client does what a careful one does: an answer that says nothing (no answer,
 * 429, 5xx) is sent again with the same Idempotency-Key, a 202 is polled, and anything else but success fails the
 * run (but a registration whose address reservation ran out, which is made again with a new key and address).
 * After the `users` planned, further users (none of them forgotten) are taken on while `moreWhile` says so: a
 * fault test's load that lasts as long as its faults, however fast the machine.
 */
export function runUserLifecycles(options: {
  url: string;
  key: string;
  users: number;
  erasures: number;
  workers: number;
  moreWhile?: () => boolean;
}) {
  const lifecycles: Lifecycle[] = [];
  let next = 0;

  const call = async (method: string, route: string, idempotencyKey: string | null, body?: unknown) => {
    const response = await fetch(`${options.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key}`,
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    }).catch(() => null);
    if (response === null) throw new NoAnswerYet(`${method} ${route}: no answer`);
    const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.status === 429 || response.status >= 500)
      throw new NoAnswerYet(`${method} ${route}: ${response.status}`);
    return { status: response.status, json };
  };

  const send = async (method: string, route: string, body?: unknown) => {
    const idempotencyKey = randomUUID();
    const answer = await retry(() => call(method, route, idempotencyKey, body), {
      initialDelayMs: 100,
      maxDelayMs: 2000,
      jitter: 0.5,
      deadlineMs: 180_000,
      retryIf: (error) => error instanceof NoAnswerYet,
    });
    let result = answer.json;
    let succeeded = answer.status === 200 || answer.status === 201;
    if (answer.status === 202) {
      result = await waitFor(
        async () => {
          const status = await call('GET', `/v1/commands/${idempotencyKey}`, null).catch(() => null);
          return status?.json?.status === 'accepted' ? null : status?.json;
        },
        { timeoutMs: 180_000, intervalMs: 200, description: `the result of ${method} ${route}` },
      );
      succeeded = result.status === 'succeeded';
    }
    if (!succeeded)
      throw new Refused(
        `${method} ${route} answered ${answer.status}: ${JSON.stringify(result)}`,
        result?.code ?? (result?.error as { code?: unknown } | undefined)?.code,
      );
    return { idempotencyKey, id: String(result!.id), version: Number(result!.version) };
  };

  /** A registration, again with a new key and address if the first reservation ran out (as the API says to). */
  const register = async (name: string, email: string) => {
    for (let attempt = 0; ; attempt++) {
      const address = attempt === 0 ? email : email.replace('@', `-${attempt}@`);
      try {
        return { ...(await send('POST', '/v1/users', { name, email: address })), email: address };
      } catch (error) {
        if (!(error instanceof Refused && error.code === RESERVATION_EXPIRED) || attempt >= 3) throw error;
      }
    }
  };

  const run = async (plan: PlannedStep[]): Promise<Lifecycle> => {
    const steps: Step[] = [];
    let userId = '';
    for (const step of plan) {
      const path = `/v1/users/${userId}`;
      if (step.kind === 'register') {
        const { id, email, version, idempotencyKey } = await register(step.name, step.email);
        userId = id;
        steps.push({ ...step, email, version, idempotencyKey });
        continue;
      }
      const answer =
        step.kind === 'rename'
          ? await send('PUT', `${path}/name`, { name: step.name })
          : step.kind === 'correct'
            ? await send('POST', `${path}/name-corrections`, { name: step.name, reason: 'misspelt' })
            : step.kind === 'deactivate'
              ? await send('DELETE', path, { reason: 'left' })
              : step.kind === 'reactivate'
                ? await send('POST', `${path}/reactivation`)
                : await send('DELETE', `${path}/personal-data`, { reason: 'asked to be forgotten' });
      steps.push({ ...step, version: answer.version, idempotencyKey: answer.idempotencyKey });
    }
    return { userId, steps };
  };

  const worker = async () => {
    while (next < options.users || options.moreWhile?.())
      lifecycles.push(await run(plannedSteps(next++, options.users, options.erasures)));
  };
  return Promise.all(Array.from({ length: options.workers }, worker)).then(() => lifecycles);
}
