import type { EmailReservationState } from './state';

/**
 * The claim whose reservation the sweeper should settle at `now`: one still unconfirmed `timeoutMs` after it was
 * reserved. Null when there is none (free, confirmed, or not yet due).
 */
export function expiredClaim(state: EmailReservationState, now: number, timeoutMs: number): string | null {
  return state.status === 'reserved' && now - state.reservedAt >= timeoutMs ? state.claimId : null;
}
