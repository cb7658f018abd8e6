import type { Decider } from '@eventfold/core';
import type { EmailReservationCommand } from './commands';
import { decideEmailReservation } from './decide';
import type { EmailReservationEvent } from './events';
import { evolveEmailReservation } from './evolve';
import { initialEmailReservationState, type EmailReservationState } from './state';

/** The decider of a reservation stream: one address, held by at most one user (decision 0016). */
export const emailReservationDecider: Decider<
  EmailReservationState,
  EmailReservationCommand,
  EmailReservationEvent
> = Object.freeze({
  decide: decideEmailReservation,
  evolve: evolveEmailReservation,
  initialState: initialEmailReservationState,
});
