import { handleCommand, ValidationError } from '@eventfold/core';
import {
  emailReservationCommandTypes,
  emailReservationDecider,
  isEmailStreamId,
  userCommandTypes,
  userDecider,
  type EmailReservationCommand,
  type RecordedEmailReservationEvent,
  type RecordedUserEvent,
  type UserCommand,
} from '@eventfold/users-domain';
import type { RecordedStreamEvent, StreamCommand, StreamState } from './streamCommands';
import { isUserState } from './streamCommands';
import type { StreamRecord } from './streamRecord';

export interface StreamDecision {
  readonly events: readonly RecordedStreamEvent[];
  readonly next: { readonly state: StreamState; readonly version: number };
}

const reservationCommands: ReadonlySet<string> = new Set(emailReservationCommandTypes);
const userCommands: ReadonlySet<string> = new Set(userCommandTypes);

/** One command on one stream, by the decider of the stream's kind: a user's, or an address's (decision 0016). */
export function decideStream(
  record: StreamRecord,
  command: StreamCommand,
  expectedVersion: number | undefined,
): StreamDecision {
  const { streamId, state, version } = record;
  const mismatch = () =>
    new ValidationError('COMMAND_STREAM_MISMATCH', `${command.type} cannot be sent to stream ${streamId}`);
  if (isEmailStreamId(streamId)) {
    if (!reservationCommands.has(command.type) || isUserState(state)) throw mismatch();
    return handleCommand(
      emailReservationDecider,
      streamId,
      { state, version },
      command as EmailReservationCommand,
      expectedVersion,
    );
  }
  if (!userCommands.has(command.type) || !isUserState(state)) throw mismatch();
  return handleCommand(userDecider, streamId, { state, version }, command as UserCommand, expectedVersion);
}

/** Folds one event into its stream's state, by the stream's kind. */
export function evolveStream(state: StreamState, event: RecordedStreamEvent): StreamState {
  if (isUserState(state)) return userDecider.evolve(state, event as RecordedUserEvent);
  return emailReservationDecider.evolve(state, event as RecordedEmailReservationEvent);
}
