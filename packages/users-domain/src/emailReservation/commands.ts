import type { Command } from '@eventfold/core';

/**
 * Commands of a reservation stream (`email-<keyed hash of the address>`, decision 0016). None carries the address:
 * the stream id stands for it. `claimId` is the id of the user command a reservation was made for; `userVersion`
 * the version of the user event that confirms or releases the address.
 */
export type ReserveEmail = Command<'ReserveEmail', { readonly userId: string; readonly claimId: string }>;
/** The user event of a claim committed: the address is the user's as of that event. */
export type ConfirmEmail = Command<
  'ConfirmEmail',
  { readonly userId: string; readonly claimId: string; readonly userVersion: number }
>;
/** The user's event at `userVersion` left the address (another address, or forgotten). */
export type ReleaseEmail = Command<'ReleaseEmail', { readonly userId: string; readonly userVersion: number }>;
/** A claim ended without a user event (refused, or settled by the sweeper): its reservation goes. */
export type ExpireEmailReservation = Command<'ExpireEmailReservation', { readonly claimId: string }>;

export type EmailReservationCommand = ReserveEmail | ConfirmEmail | ReleaseEmail | ExpireEmailReservation;

export const emailReservationCommandTypes = Object.freeze([
  'ReserveEmail',
  'ConfirmEmail',
  'ReleaseEmail',
  'ExpireEmailReservation',
] as const satisfies readonly EmailReservationCommand['type'][]);
