import { userStreamId } from '@eventfold/users-domain';
import type { IncomingCommand } from '../processing/streamCommands';

/** The code a user command gets when its claim was settled before it was decided: it will never take effect. */
export const EMAIL_RESERVATION_EXPIRED = 'EMAIL_RESERVATION_EXPIRED';

/**
 * The settlement of claim `claimId` on `emailStreamId`, sent to the claiming user's stream: by the sweeper for a
 * reservation left unconfirmed, and by an adoption (`adoptEmail`) right after it reserved. One command id per
 * claim, so that both asking writes one settlement.
 */
export function settleEmailClaim(
  claim: { readonly claimId: string; readonly emailStreamId: string; readonly userId: string },
  now: number,
  actor: string,
): Omit<IncomingCommand, 'homePartition'> {
  const { claimId, emailStreamId } = claim;
  return {
    streamId: userStreamId(claim.userId),
    expectedVersion: null,
    command: {
      type: 'SettleEmailClaim',
      data: { claimId, emailStreamId },
      metadata: { commandId: `${claimId}/settle`, now, actor, correlationId: claimId, causationId: claimId },
    },
    requestFingerprint: null,
  };
}
