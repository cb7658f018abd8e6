import { sleep, withDeadline } from '@eventfold/core';
export interface WaitForOptions {
  /** Give up after this long. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Says what was awaited, in the error when the deadline passes. */
  readonly description?: string;
}

/**
 * Polls `condition` until it returns a value other than `undefined`, `null` or `false`, and returns that value.
 * Tests wait with this instead of sleeping: fast when the system is fast, patient when the machine is busy.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 100, description = 'condition' }: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      // One attempt that never settles (a request to a frozen server) must not outlast the wait itself.
      const value = await withDeadline(
        Promise.resolve().then(condition),
        Math.max(1, deadline - Date.now()),
        `one check of ${description}`,
      );
      if (value !== undefined && value !== null && value !== false)
        return value as Exclude<T, undefined | null | false>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${why}`);
    }
    await sleep(intervalMs);
  }
}
