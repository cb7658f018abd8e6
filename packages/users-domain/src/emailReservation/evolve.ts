import { assertNever } from '@eventfold/core';
import type { EmailReservationEvent } from './events';
import type { EmailReservationState } from './state';

/** Folds one event of a reservation stream into its state. Pure. */
export function evolveEmailReservation(
  state: EmailReservationState,
  event: EmailReservationEvent,
): EmailReservationState {
  switch (event.type) {
    case 'EmailReserved':
      return { status: 'reserved', ...event.data };
    case 'EmailReservationConfirmed':
      return state.status === 'free' ? state : { status: 'confirmed', userId: state.userId };
    case 'EmailReleased':
      return { status: 'free' };
    default:
      return assertNever(event, 'event');
  }
}
