import type { Provisioned } from '../provision';

/** Gives back only what the global setup started; servers that ran before the tests keep running. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __eventfoldInfra?: Provisioned };
  const provisioned = holder.__eventfoldInfra;
  delete holder.__eventfoldInfra;
  await provisioned?.release();
}
