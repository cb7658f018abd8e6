import { InfrastructureError, ValidationError } from '../errors/errors';
import { retry, type RetryOptions } from './retry';
import { backoffDelay } from './retryPolicy';
import { sleep } from './sleep';

/** A clock that only the waits move: `waits` lists every wait retry asked for. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** An attempt that fails with `failures`, in turn, then answers 'done'; `calls` counts the attempts. */
function failing(...failures: unknown[]) {
  const calls: number[] = [];
  return {
    calls,
    attempt: async (n: number) => {
      calls.push(n);
      if (calls.length <= failures.length) throw failures[calls.length - 1];
      return 'done';
    },
  };
}

const policy = { initialDelayMs: 100, maxDelayMs: 1000, random: () => 0 } satisfies Partial<RetryOptions>;
const down = () => new InfrastructureError('BROKER_DOWN', 'Kafka is unreachable');

describe('retry', () => {
  it('tries again after a retriable failure, waiting longer each time up to the cap', async () => {
    const time = fakeTime();
    const { attempt, calls } = failing(down(), down(), down(), down(), down());
    await expect(retry(attempt, { ...policy, ...time })).resolves.toBe('done');
    expect(calls).toEqual([1, 2, 3, 4, 5, 6]);
    expect(time.waits).toEqual([100, 200, 400, 800, 1000]);
  });

  it('retries an error that carries no retriable flag, and gives up at once on one marked not retriable', async () => {
    const time = fakeTime();
    const unknown = failing(new Error('connect ECONNREFUSED'));
    await expect(retry(unknown.attempt, { ...policy, ...time })).resolves.toBe('done');
    const refused = new ValidationError('BAD_NAME', 'Name is empty');
    const marked = failing(refused);
    await expect(retry(marked.attempt, { ...policy, ...time })).rejects.toBe(refused);
    expect(marked.calls).toEqual([1]);
  });

  it('asks a predicate of its own instead, when given one', async () => {
    const time = fakeTime();
    const other = new Error('something else');
    const { attempt, calls } = failing(Object.assign(new Error('unknown topic'), { type: 'UNKNOWN' }), other);
    const retryIf = (error: unknown) => (error as { type?: string }).type === 'UNKNOWN';
    await expect(retry(attempt, { ...policy, ...time, retryIf })).rejects.toBe(other);
    expect(calls).toEqual([1, 2]);
  });

  it('gives up with the last failure when the attempts are used up', async () => {
    const time = fakeTime();
    const last = down();
    const { attempt, calls } = failing(down(), down(), last);
    await expect(retry(attempt, { ...policy, ...time, maxAttempts: 3 })).rejects.toBe(last);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('gives up rather than wait past the deadline', async () => {
    const time = fakeTime();
    const { attempt, calls } = failing(down(), down(), down(), down());
    await expect(retry(attempt, { ...policy, ...time, deadlineMs: 500 })).rejects.toBeInstanceOf(
      InfrastructureError,
    );
    expect(time.waits).toEqual([100, 200]); // 100 + 200 + 400 would pass 500 ms
    expect(calls).toEqual([1, 2, 3]);
  });

  it('stops when told, with the last failure, and tells onRetry about each failure it retries', async () => {
    const time = fakeTime();
    let stopped = false;
    const told: [number, number][] = [];
    const { attempt, calls } = failing(down(), down(), down());
    const outcome = retry(attempt, {
      ...policy,
      ...time,
      isStopped: () => stopped,
      onRetry: (_error, n, delayMs) => {
        told.push([n, delayMs]);
        if (n === 2) stopped = true;
      },
    });
    await expect(outcome).rejects.toBeInstanceOf(InfrastructureError);
    expect(calls).toEqual([1, 2]);
    expect(told).toEqual([
      [1, 100],
      [2, 200],
    ]);
  });

  it('ends a wait at once when its signal aborts, and tries no more', async () => {
    const controller = new AbortController();
    const { attempt, calls } = failing(down(), down());
    const started = Date.now();
    const outcome = retry(attempt, { initialDelayMs: 60_000, maxDelayMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(outcome).rejects.toBeInstanceOf(InfrastructureError);
    expect(calls).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('ends the retries with the error of a wait that throws (a partition taken away meanwhile)', async () => {
    const gone = new Error('no longer ours');
    const { attempt } = failing(down());
    const sleepThatThrows = async () => {
      throw gone;
    };
    await expect(retry(attempt, { ...policy, sleep: sleepThatThrows })).rejects.toBe(gone);
  });
});

describe('backoffDelay', () => {
  it('draws the jitter part of each wait below its ceiling, never above', () => {
    const jittered = { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.5 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(jittered, n, 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(jittered, n, 0.999999))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(jittered, 1000, 0.999999)).toBe(30_000);
  });
});

describe('sleep', () => {
  it('waits, or less when its signal aborts', async () => {
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const aborted = sleep(60_000, controller.signal);
    controller.abort();
    await aborted;
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
