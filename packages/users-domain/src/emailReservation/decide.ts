import { assertNever, ConflictError } from '@eventfold/core';
import { assertUserId } from '../rules/userId';
import type { EmailReservationCommand } from './commands';
import { EmailReservationErrorCode } from './errorCodes';
import type { EmailReservationEvent } from './events';
import type { EmailReservationState } from './state';

const taken = () =>
  new ConflictError(EmailReservationErrorCode.Taken, 'This email address is already taken by another user');

/** Answers a command of a reservation stream with its events, or throws the rule it breaks. Pure. */
export function decideEmailReservation(
  command: EmailReservationCommand,
  state: EmailReservationState,
): EmailReservationEvent[] {
  switch (command.type) {
    case 'ReserveEmail': {
      const userId = assertUserId(command.data.userId);
      const { claimId } = command.data;
      if (state.status === 'held') {
        if (state.userId !== userId) throw taken();
        // The same claim again is a retry: nothing to write.
        if (state.pending.some((p) => p.claimId === claimId)) return [];
      }
      return [{ type: 'EmailReserved', data: { userId, claimId, reservedAt: command.metadata.now } }];
    }
    case 'ConfirmEmail': {
      const { userId, claimId, userVersion } = command.data;
      if (state.status !== 'held' || state.userId !== userId) {
        throw new ConflictError(
          EmailReservationErrorCode.NotReserved,
          'The address is not reserved for this user',
        );
      }
      const pending = state.pending.some((p) => p.claimId === claimId);
      if (!pending && (state.confirmedAtVersion ?? 0) >= userVersion) return [];
      return [{ type: 'EmailReservationConfirmed', data: { userId, claimId, userVersion } }];
    }
    case 'ReleaseEmail': {
      const { userId, userVersion } = command.data;
      // Only what was confirmed before the releasing event: a claim since (or a confirmation after) stays. And
      // releasing what one does not hold changes nothing, so a late or repeated release is harmless.
      const releases =
        state.status === 'held' &&
        state.userId === userId &&
        state.confirmedAtVersion !== null &&
        state.confirmedAtVersion < userVersion;
      return releases ? [{ type: 'EmailReleased', data: { userId, claimId: null, userVersion } }] : [];
    }
    case 'ExpireEmailReservation': {
      const { claimId } = command.data;
      // Only that claim's reservation, while still pending: a confirmed one, or another claim's, stays.
      return state.status === 'held' && state.pending.some((p) => p.claimId === claimId)
        ? [{ type: 'EmailReleased', data: { userId: state.userId, claimId, userVersion: null } }]
        : [];
    }
    default:
      return assertNever(command, 'command');
  }
}
