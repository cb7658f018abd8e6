import { randomUUID } from 'node:crypto';
import { parseMasterKey } from '@eventfold/crypto';
import { TEST_KEY_ENCRYPTION_KEY } from '@eventfold/testing';
import { clientIdsFor } from '@eventfold/command-service/testing';

/**
 * The command service keeps, as the command id and the events' causation id, a keyed hash of the caller and its
 * Idempotency-Key (never the key itself): the load derives it as the service does, so that it can find its
 * commands in the log. The services under test run with the test master key and no authentication ('anonymous').
 */
const ids = clientIdsFor(parseMasterKey(TEST_KEY_ENCRYPTION_KEY));

/** One command sent during a fault test, and how it was answered (status 0: no answer, the request failed). */
export interface Answer {
  /** The Idempotency-Key the client sent. */
  readonly idempotencyKey: string;
  /** The command id the service derives from it: the causation id of the command's events in the log. */
  readonly commandId: string;
  readonly kind: 'register' | 'rename';
  readonly status: number;
  readonly startedAt: number;
  readonly ms: number;
}

export const acknowledged = (a: Answer) => a.status >= 200 && a.status < 300;

/**
 * `workers` clients, each registering a user and then renaming it over and over, every command with its own
 * Idempotency-Key, until stopped. Every answer is kept, so that a test can check the log against
 * what the clients were told.
 */
export function startCommandLoad(url: string, workers: number, requestTimeoutMs = 60_000) {
  const answers: Answer[] = [];
  let running = true;
  const send = async (kind: Answer['kind'], method: string, path: string, body: unknown) => {
    const idempotencyKey = randomUUID();
    const startedAt = Date.now();
    let status = 0;
    let json: Record<string, unknown> | null = null;
    try {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      status = response.status;
      json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    } catch {
      status = 0;
    }
    answers.push({
      idempotencyKey,
      commandId: ids.commandId('anonymous', idempotencyKey),
      kind,
      status,
      startedAt,
      ms: Date.now() - startedAt,
    });
    return { status, json };
  };
  const worker = async (w: number) => {
    let userId: string | null = null;
    for (let n = 0; running; n++) {
      if (userId === null) {
        const { status, json } = await send('register', 'POST', '/v1/users', {
          name: `Fault ${w}-${n}`,
          email: `fault-${w}-${n}-${randomUUID().slice(0, 8)}@example.com`,
        });
        if (status === 201) userId = json!.id as string;
      } else {
        await send('rename', 'PUT', `/v1/users/${userId}/name`, { name: `Fault ${w} rename ${n}` });
      }
      if (answers.at(-1)!.status >= 500 || answers.at(-1)!.status === 0)
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const all = Array.from({ length: workers }, (_, w) => worker(w));
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(all);
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
