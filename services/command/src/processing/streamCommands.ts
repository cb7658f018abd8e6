import type { Command } from '@eventfold/core';
import type {
  EmailReservationCommand,
  EmailReservationState,
  RecordedEmailReservationEvent,
  RecordedUserEvent,
  UserCommand,
  UserState,
} from '@eventfold/users-domain';

/**
 * The sweeper's question to a user's stream about a reservation that was never confirmed (decision 0016): did the
 * user command of claim `claimId` take effect? Decided by the user's partition owner, in order with that command
 * (emailClaims/settleEmailClaim.ts builds it, emailClaims/settleClaim.ts decides it).
 */
export type SettleEmailClaim = Command<
  'SettleEmailClaim',
  { readonly claimId: string; readonly emailStreamId: string }
>;

/** Every command users.commands carries: a user's, a reservation stream's, or the sweeper's settlement. */
export type StreamCommand = UserCommand | EmailReservationCommand | SettleEmailClaim;

/** A command as it arrives at the owner of its partition. */
export interface IncomingCommand {
  readonly streamId: string;
  readonly expectedVersion: number | null;
  readonly command: StreamCommand;
  /** The partition the stream id hashes to: a command that arrived elsewhere must not be decided here. */
  readonly homePartition: number;
  /** What the request asked for, when it came with an Idempotency-Key (clientIds.ts); null otherwise. */
  readonly requestFingerprint?: string | null;
}

/** Every event users.events carries. */
export type RecordedStreamEvent = RecordedUserEvent | RecordedEmailReservationEvent;

/** The state of any stream of a partition: a user, or an address (decision 0016). */
export type StreamState = UserState | EmailReservationState;

const userStatuses: ReadonlySet<string> = new Set(['not-registered', 'active', 'deactivated']);

export const isUserState = (state: StreamState): state is UserState => userStatuses.has(state.status);
