import type { EmailReservationState } from './state';

/**
 * The claims whose reservations the sweeper should settle at `now`: those still pending `timeoutMs` after they were
 * made. Empty when there is none (free, confirmed only, or not yet due).
 */
export function expiredClaims(state: EmailReservationState, now: number, timeoutMs: number): string[] {
  return state.status === 'held'
    ? state.pending.filter((p) => now - p.reservedAt >= timeoutMs).map((p) => p.claimId)
    : [];
}
