import type { ReadinessCheck } from './healthRoutes';

/**
 * A readiness check that runs at most once per `ttlMs`: callers within that time after a check settled get its
 * result, and callers while one runs share it. /readyz is public where the service is (the gateway's asks two
 * backends), so a flood of probes must not become a flood of checks.
 */
export function cachedReadiness(check: ReadinessCheck, ttlMs: number, clock: () => number): ReadinessCheck {
  let running: ReturnType<ReadinessCheck> | null = null;
  let last: { at: number; result: Awaited<ReturnType<ReadinessCheck>> } | null = null;
  return () => {
    if (last && clock() - last.at < ttlMs) return Promise.resolve(last.result);
    running ??= check()
      .then((result) => {
        last = { at: clock(), result };
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
}
