import type { Command } from '@eventfold/core';

/**
 * The sweeper's question to a user's stream about a reservation that was never confirmed (decision 0016): did the
 * user command of claim `claimId` take effect? Decided by the user's partition owner, in order with that command.
 */
export type SettleEmailClaim = Command<
  'SettleEmailClaim',
  { readonly claimId: string; readonly emailStreamId: string }
>;

/** The code a user command gets when its claim was settled before it was decided: it will never take effect. */
export const EMAIL_RESERVATION_EXPIRED = 'EMAIL_RESERVATION_EXPIRED';
