import { userTopicNames } from '@eventfold/avro';
import { parseMasterKey } from '@eventfold/crypto';
import { randomName, TEST_KEY_ENCRYPTION_KEY, waitFor } from '@eventfold/testing';
import { clientIdsFor } from './http/clientIds';
import { spawnCommandProcess, type CommandProcess } from './testing/commandProcess';
import { checkStreams, readEventLog } from './testing/eventLog';

jest.setTimeout(300_000);

const json = { 'content-type': 'application/json' };
/** How long a client retries one command: a restart on a loaded machine takes up to a minute and a half. */
const RETRY_MS = 180_000;

async function post(
  url: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...json, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, body: {} };
  }
}

/** A final answer: 200, or a refusal that a retry would not change (not a lost connection, 202 or 5xx). */
const settled = (status: number) => status === 200 || (status !== 0 && status !== 202 && status < 500);

async function registerUsers(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await post(url, 'POST', '/v1/users', { name: `User ${i}`, email: `user${i}@example.com` });
    expect(r.status).toBe(201);
    ids.push(r.body.id as string);
  }
  return ids;
}

describe('command service failover (separate processes)', () => {
  const processes: CommandProcess[] = [];
  afterEach(() => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
  });

  it('loses and duplicates nothing when its only instance is killed with -9 mid-stream', async () => {
    const prefix = `${randomName('kill')}.`;
    const first = await spawnCommandProcess(prefix);
    processes.push(first);
    const users = await registerUsers(first.url, 20);
    const answered: string[] = [];
    let target = first.url;
    let sent = 0;
    const worker = async (w: number) => {
      for (let n = w; n < 600; n += 10) {
        const key = `kill-${prefix}${n}`;
        // Like a real client: on a failed connection, retry with the same Idempotency-Key until answered.
        const r = await waitFor(
          async () => {
            const answer = await post(
              target,
              'PUT',
              `/v1/users/${users[n % users.length]}/name`,
              { name: `Name ${n}` },
              { 'Idempotency-Key': key },
            );
            sent++;
            return settled(answer.status) && answer;
          },
          { timeoutMs: RETRY_MS, intervalMs: 200, description: `an answer to command ${n}` },
        );
        if (r.status !== 200) throw new Error(`command ${n} answered ${r.status}`);
        answered.push(r.body.commandId as string);
      }
    };
    const load = Promise.all(Array.from({ length: 10 }, (_, w) => worker(w)));
    await waitFor(() => sent >= 150, { timeoutMs: 60_000, intervalMs: 20, description: '150 commands sent' });
    first.child.kill('SIGKILL');
    await first.exited;
    const recoveryStarted = Date.now();
    const second = await spawnCommandProcess(prefix);
    const recoverySeconds = (Date.now() - recoveryStarted) / 1000;
    processes.push(second);
    target = second.url;
    await load;

    const log = await readEventLog(userTopicNames(prefix), 12);
    const { problems } = checkStreams(log);
    expect(problems).toEqual([]);
    // The log keeps the command id the service derives from the caller and its key (a keyed hash), not the key.
    const ids = clientIdsFor(parseMasterKey(TEST_KEY_ENCRYPTION_KEY));
    const causes = new Set(log.map((e) => e.event.metadata.causationId));
    expect(answered.filter((key) => !causes.has(ids.commandId('anonymous', key)))).toEqual([]);
    expect(answered).toHaveLength(600);
    // Exactly once: 1 registration + 30 renames per user, whatever was in flight at the kill.
    expect([...checkStreams(log).versions.values()].map((v) => v.length)).toEqual(Array(20).fill(31));
    console.log(
      `kill -9: ${log.length} events checked, 600 commands answered 2xx, 0 lost, 0 duplicated; new instance ready ${recoverySeconds.toFixed(1)} s after the kill`,
    );
  });

  it('keeps one writer per partition while two instances share 1,000 commands and one restarts', async () => {
    const prefix = `${randomName('two')}.`;
    const a = await spawnCommandProcess(prefix);
    processes.push(a);
    let b: CommandProcess | null = await spawnCommandProcess(prefix);
    processes.push(b);
    const users = await registerUsers(a.url, 100);
    let done = 0;
    let restarted: () => void = () => undefined;
    const bIsBack = new Promise<void>((resolve) => (restarted = resolve));
    const worker = async (w: number) => {
      for (let n = w; n < 1000; n += 20) {
        // The last 400 commands run once the stopped instance is back, so that it takes a share of them.
        if (n >= 600) await bIsBack;
        const key = `rename-${prefix}${n}`;
        // A client that retries with the same Idempotency-Key, on whichever instance answers.
        let attempt = 0;
        const r = await waitFor(
          async () => {
            const url = (n + attempt++) % 2 === 0 || b === null ? a.url : b.url;
            const answer = await post(
              url,
              'PUT',
              `/v1/users/${users[n % 100]}/name`,
              { name: `Name ${n}` },
              { 'Idempotency-Key': key },
            );
            return settled(answer.status) && answer;
          },
          { timeoutMs: RETRY_MS, intervalMs: 100, description: `an answer to command ${n}` },
        );
        if (r.status !== 200) throw new Error(`command ${n} answered ${r.status}: ${JSON.stringify(r.body)}`);
        done++;
      }
    };
    const load = Promise.all(Array.from({ length: 20 }, (_, w) => worker(w)));
    await waitFor(() => done >= 300, { timeoutMs: 60_000, intervalMs: 20, description: '300 commands done' });
    const stopping = b;
    b = null;
    stopping.child.kill('SIGTERM');
    await stopping.exited;
    await waitFor(() => done >= 500, {
      timeoutMs: RETRY_MS,
      intervalMs: 20,
      description: '500 commands done on the instance left',
    });
    b = await spawnCommandProcess(prefix);
    processes.push(b);
    restarted();
    await load;

    const log = await readEventLog(userTopicNames(prefix), 12);
    const { problems, versions } = checkStreams(log);
    expect(problems).toEqual([]);
    // Every one of the 1,000 renames landed exactly once: 1 registration + 10 renames per user.
    expect([...versions.values()].map((v) => v.length)).toEqual(Array(100).fill(11));
    console.log(`two instances: ${log.length} events checked, 1000 commands, 0 lost, 0 duplicated`);
  });
});
