import type {
  EmailReservationCommand,
  EmailReservationState,
  RecordedEmailReservationEvent,
  RecordedUserEvent,
  UserCommand,
  UserState,
} from '@eventfold/users-domain';
import type { SettleEmailClaim } from '../emailClaims/settleEmailClaim';

/** Every command users.commands carries: a user's, a reservation stream's, or the sweeper's settlement. */
export type StreamCommand = UserCommand | EmailReservationCommand | SettleEmailClaim;

/** Every event users.events carries. */
export type RecordedStreamEvent = RecordedUserEvent | RecordedEmailReservationEvent;

/** The state of any stream of a partition: a user, or an address (decision 0016). */
export type StreamState = UserState | EmailReservationState;

const userStatuses: ReadonlySet<string> = new Set(['not-registered', 'active', 'deactivated']);

export const isUserState = (state: StreamState): state is UserState => userStatuses.has(state.status);
