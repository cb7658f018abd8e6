/**
 * Waits `ms`, or less when `signal` aborts (it resolves then, it does not throw: whoever passed the signal knows
 * why it aborted). The one sleep of the code base: a loop that waits takes this one, or `retry`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
