import type { Command } from '@eventfold/core';

/**
 * Commands of a reservation stream (`email-<keyed hash of the address>`, decision 0016). None carries the address:
 * the stream id stands for it. `claimId` is the id of the user command the reservation was made for.
 */
export type ReserveEmail = Command<'ReserveEmail', { readonly userId: string; readonly claimId: string }>;
/** The user event that names the address committed: the reservation becomes the user's for good. */
export type ConfirmEmail = Command<'ConfirmEmail', { readonly userId: string }>;
/** The user no longer holds the address (it changed it, was forgotten, or its claim was refused). */
export type ReleaseEmail = Command<'ReleaseEmail', { readonly userId: string }>;
/** The sweeper's release of a reservation whose claim was settled without a user event. */
export type ExpireEmailReservation = Command<'ExpireEmailReservation', { readonly claimId: string }>;

export type EmailReservationCommand = ReserveEmail | ConfirmEmail | ReleaseEmail | ExpireEmailReservation;

export const emailReservationCommandTypes = Object.freeze([
  'ReserveEmail',
  'ConfirmEmail',
  'ReleaseEmail',
  'ExpireEmailReservation',
] as const satisfies readonly EmailReservationCommand['type'][]);
