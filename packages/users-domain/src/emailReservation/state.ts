/** A claim on the address still waiting for the user event that names it. */
export interface PendingClaim {
  readonly claimId: string;
  readonly reservedAt: number;
}

/**
 * Who holds an address. Free, or held by one user through its pending claims (reserved, the user event still to
 * come) and the version of the user event that last confirmed it (null when none has). A user's later event that
 * releases the address ends only what was confirmed before it: a claim made meanwhile (the user changing back to
 * the address) keeps it held (decision 0016).
 */
export type EmailReservationState =
  | { readonly status: 'free' }
  | {
      readonly status: 'held';
      readonly userId: string;
      readonly pending: readonly PendingClaim[];
      readonly confirmedAtVersion: number | null;
    };

export const initialEmailReservationState = (): EmailReservationState => ({ status: 'free' });
