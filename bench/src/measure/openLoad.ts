import { sleep } from '@eventfold/core';
import { percentile } from '../report/percentiles';

export interface OpenLoadResult {
  readonly sent: number;
  /** Requests whose `send` resolved true. */
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

/**
 * Open-loop load: `perSecond` requests a second for `seconds`, each sent at its scheduled time whether or not
 * the earlier ones were answered (what a population of independent clients does; a closed loop would slow down
 * with the server and hide its queueing). Latency runs from the scheduled time, so a client that could not even
 * start on time counts that delay too. `send(n)` answers whether request n succeeded.
 */
export async function openLoad(options: {
  perSecond: number;
  seconds: number;
  send: (n: number) => Promise<boolean>;
}): Promise<OpenLoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const count = Math.round(options.perSecond * options.seconds);
  const started = performance.now();
  for (let n = 0; n < count; n++) {
    const due = started + (n * 1000) / options.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(
      options.send(n).then(
        (ok) => {
          if (ok) latencies.push(performance.now() - due);
          else failed++;
        },
        () => void failed++,
      ),
    );
  }
  await Promise.all(pending);
  return {
    sent: count,
    ok: latencies.length,
    failed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    p999Ms: percentile(latencies, 99.9),
  };
}
