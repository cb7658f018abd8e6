/** How often and how patiently to try again: exponential backoff with a cap and jitter, bounded or not. */
export interface RetryPolicy {
  /** The wait after the first failed attempt. */
  readonly initialDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
  /** Each wait is this many times the one before (until the cap); 2 when absent. */
  readonly factor?: number;
  /**
   * The part of each wait drawn at random, in [0, 1]: a wait lies between (1 - jitter) and all of its ceiling.
   * Keeps parts that failed together (partitions, instances) from retrying in lockstep. 0 when absent.
   */
  readonly jitter?: number;
  /** Attempts in all, the first included; unbounded when absent. */
  readonly maxAttempts?: number;
  /** Gives up instead of waiting past this many ms after the first attempt began; unbounded when absent. */
  readonly deadlineMs?: number;
}

/**
 * The wait after `failedAttempts` failed attempts (1 after the first): min(max, initial·factor^(n-1)), of which
 * the `jitter` part is scaled by `random` (in [0, 1)). Whole milliseconds.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempts: number, random: number): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 60);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * (policy.factor ?? 2) ** exponent);
  const jitter = policy.jitter ?? 0;
  return Math.round(ceiling * (1 - jitter + jitter * random));
}
