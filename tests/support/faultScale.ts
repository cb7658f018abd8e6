/**
 * How big a fault run is: `pnpm test:faults` sets EVENTFOLD_FAULTS=full (longer outages, more load); inside
 * `pnpm test` the same tests run reduced, so that they stay a few minutes in all.
 */
export function faultScale(): number {
  return process.env.EVENTFOLD_FAULTS === 'full' ? 2.5 : 1;
}
