import { backoffDelay } from '@eventfold/core';

export interface RetryPolicy {
  /** Attempts in all, the first included, before a notification is dead-lettered. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter" (core's `backoffDelay`): after the n-th failed attempt wait between half
 * and all of min(max, base·2^(n-1)). Jitter keeps partitions that failed together from retrying in lockstep.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: number): number {
  return backoffDelay(
    { initialDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs, jitter: 0.5 },
    failedAttempts,
    random,
  );
}
