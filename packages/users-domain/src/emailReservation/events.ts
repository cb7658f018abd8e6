import type { DomainEvent } from '@eventfold/core';

/** Data of each event of a reservation stream. `email` is personal (`"pii"`), sealed under the holder's key. */
export interface EmailReservationEventData {
  EmailReserved: {
    readonly userId: string;
    readonly email: string;
    readonly claimId: string;
    /** The reserving command's time: the sweeper's timeout counts from it. */
    readonly reservedAt: number;
  };
  EmailReservationConfirmed: { readonly userId: string };
  EmailReleased: { readonly userId: string };
}

export type EmailReservationEventType = keyof EmailReservationEventData;
export type EmailReservationEvent = {
  [T in EmailReservationEventType]: DomainEvent<T, EmailReservationEventData[T]>;
}[EmailReservationEventType];

export const emailReservationEventTypes = Object.freeze([
  'EmailReserved',
  'EmailReservationConfirmed',
  'EmailReleased',
] as const satisfies readonly EmailReservationEventType[]);
