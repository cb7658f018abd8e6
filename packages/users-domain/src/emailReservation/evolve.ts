import { assertNever } from '@eventfold/core';
import type { EmailReservationEvent } from './events';
import type { EmailReservationState } from './state';

/** Folds one event of a reservation stream into its state. Pure. */
export function evolveEmailReservation(
  state: EmailReservationState,
  event: EmailReservationEvent,
): EmailReservationState {
  const held = state.status === 'held' ? state : null;
  switch (event.type) {
    case 'EmailReserved': {
      const { userId, claimId, reservedAt } = event.data;
      return {
        status: 'held',
        userId,
        pending: [...(held?.pending ?? []), { claimId, reservedAt }],
        confirmedAtVersion: held?.confirmedAtVersion ?? null,
      };
    }
    case 'EmailReservationConfirmed': {
      const { userId, claimId, userVersion } = event.data;
      return {
        status: 'held',
        userId,
        pending: (held?.pending ?? []).filter((p) => p.claimId !== claimId),
        confirmedAtVersion: Math.max(held?.confirmedAtVersion ?? 0, userVersion),
      };
    }
    case 'EmailReleased': {
      if (!held) return state;
      const { claimId } = event.data;
      const pending = claimId === null ? held.pending : held.pending.filter((p) => p.claimId !== claimId);
      const confirmedAtVersion = claimId === null ? null : held.confirmedAtVersion;
      return pending.length === 0 && confirmedAtVersion === null
        ? { status: 'free' }
        : { ...held, pending, confirmedAtVersion };
    }
    default:
      return assertNever(event, 'event');
  }
}
