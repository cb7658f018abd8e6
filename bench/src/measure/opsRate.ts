/**
 * Calls of `op` per second over about `seconds`, in a closed loop (a returned promise is awaited before the next
 * call). The clock is read every 1,000 calls, so it costs nothing next to the operation.
 */
export async function opsRate(seconds: number, op: (i: number) => unknown): Promise<number> {
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) {
      const result = op(done);
      if (result instanceof Promise) await result;
      done++;
    }
  }
  return done / ((performance.now() - started) / 1000);
}
