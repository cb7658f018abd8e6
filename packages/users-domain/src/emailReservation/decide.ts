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
      // Reserving what one already holds is a retry (or a claim for the address one has): nothing to write.
      if (state.status !== 'free') {
        if (state.userId === userId) return [];
        throw taken();
      }
      const data = { userId, claimId: command.data.claimId, reservedAt: command.metadata.now };
      return [{ type: 'EmailReserved', data }];
    }
    case 'ConfirmEmail': {
      if (state.status === 'confirmed' && state.userId === command.data.userId) return [];
      if (state.status !== 'reserved' || state.userId !== command.data.userId) {
        throw new ConflictError(
          EmailReservationErrorCode.NotReserved,
          'The address is not reserved for this user',
        );
      }
      return [{ type: 'EmailReservationConfirmed', data: { userId: state.userId } }];
    }
    case 'ReleaseEmail':
      // Releasing what one does not hold changes nothing: a late or repeated release is harmless.
      return state.status !== 'free' && state.userId === command.data.userId
        ? [{ type: 'EmailReleased', data: { userId: state.userId } }]
        : [];
    case 'ExpireEmailReservation':
      // Only the unconfirmed reservation of that very claim: a later claim, or a confirmed one, stays.
      return state.status === 'reserved' && state.claimId === command.data.claimId
        ? [{ type: 'EmailReleased', data: { userId: state.userId } }]
        : [];
    default:
      return assertNever(command, 'command');
  }
}
