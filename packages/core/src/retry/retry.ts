import { isRetriable } from '../errors/errors';
import { backoffDelay, type RetryPolicy } from './retryPolicy';
import { sleep } from './sleep';

/** A {@link RetryPolicy} and what to watch while following it. */
export interface RetryOptions extends RetryPolicy {
  /**
   * Whether a failure is worth another attempt: by default {@link isRetriable} (everything but what is marked
   * not retriable). A narrower predicate (only Kafka being away, only a stale connection) goes here.
   */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
  /** Aborting ends the retries: the current wait ends at once, and no attempt follows. */
  readonly signal?: AbortSignal;
  /** Asked before each further attempt: true ends the retries (the owner stopped, the work moved elsewhere). */
  readonly isStopped?: () => boolean;
  /** Told about each failure that will be retried, before the wait: to log it, count it, report it. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** How to wait (default {@link sleep}); a wait that throws ends the retries with that error. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): the jitter's source. Default Math.random. */
  readonly random?: () => number;
  /** Epoch ms, for `deadlineMs`. Default Date.now. */
  readonly now?: () => number;
}

/**
 * Calls `attempt` (with its number, from 1) until it succeeds, and answers its result. After a failure it waits
 * by the policy and tries again; it gives up, rethrowing that failure, when the failure is not worth retrying,
 * when the attempts or the deadline are used up, or when stopped (`signal`, `isStopped`), so the caller always
 * learns the last failure. The one retry loop of the code base (docs/architecture.md#retry).
 */
export async function retry<T>(attempt: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const retryIf = options.retryIf ?? isRetriable;
  const stopped = () => options.signal?.aborted === true || options.isStopped?.() === true;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delayMs = backoffDelay(options, n, (options.random ?? Math.random)());
      const outOfTime = options.deadlineMs !== undefined && now() + delayMs - started > options.deadlineMs;
      if (!retryIf(error, n) || n >= (options.maxAttempts ?? Infinity) || outOfTime || stopped()) throw error;
      options.onRetry?.(error, n, delayMs);
      await wait(delayMs, options.signal);
      if (stopped()) throw error;
    }
  }
}
