/** Who holds an address. A union on `status`: free, reserved by a claim in progress, or confirmed. */
export type EmailReservationState =
  | { readonly status: 'free' }
  | {
      readonly status: 'reserved';
      readonly userId: string;
      readonly claimId: string;
      readonly reservedAt: number;
    }
  | { readonly status: 'confirmed'; readonly userId: string };

export const initialEmailReservationState = (): EmailReservationState => ({ status: 'free' });
