import { sleep } from '@eventfold/core';
/** A rate measured from outside by polling a growing count: from the first change seen to the target. */
export interface ProgressRate {
  readonly items: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * Polls `count` until it reaches `target`. The clock starts at the first poll that sees the count move (start-up
 * and consumer-group joins are not the rate), and the rate counts only what arrived after that poll.
 */
export async function measureProgress(
  count: () => Promise<number>,
  target: number,
  o: { intervalMs?: number; timeoutMs: number; description: string },
): Promise<ProgressRate> {
  const interval = o.intervalMs ?? 100;
  const deadline = Date.now() + o.timeoutMs;
  const initial = await count();
  let first: { at: number; count: number } | null = null;
  for (;;) {
    const now = performance.now();
    const current = await count();
    if (first === null && current !== initial) first = { at: now, count: current };
    if (current >= target) {
      const start = first ?? { at: now, count: initial };
      const seconds = (performance.now() - start.at) / 1000;
      const items = target - start.count;
      return { items, seconds, perSecond: seconds > 0 ? items / seconds : Number.NaN };
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${o.description}: ${current} of ${target} after ${o.timeoutMs} ms`,
      );
    await sleep(interval);
  }
}
