import type { DomainEvent, RecordedEvent } from '@eventfold/core';

/** Data of each event of a reservation stream: never the address (the stream id is its keyed hash). */
export interface EmailReservationEventData {
  EmailReserved: {
    readonly userId: string;
    readonly claimId: string;
    /** The reserving command's time: the sweeper's timeout counts from it. */
    readonly reservedAt: number;
  };
  EmailReservationConfirmed: {
    readonly userId: string;
    readonly claimId: string;
    readonly userVersion: number;
  };
  /** Either a pending claim ended (`claimId`), or what was confirmed before the user's event `userVersion`. */
  EmailReleased: {
    readonly userId: string;
    readonly claimId: string | null;
    readonly userVersion: number | null;
  };
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
export type RecordedEmailReservationEvent = RecordedEvent<EmailReservationEvent>;
