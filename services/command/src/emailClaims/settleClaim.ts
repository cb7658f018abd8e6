import { ErrorKind } from '@eventfold/core';
import type { CommandResult } from '../processing/commandResult';
import { isUserState } from '../processing/streamCommands';
import { remember, remembered, type IdempotencyWindow, type StreamRecord } from '../processing/streamRecord';
import type { EmailStreamOf } from './emailStreamIds';
import type { FollowUp } from './emailFollowUps';
import type { SettleEmailClaim } from '../processing/streamCommands';
import { EMAIL_RESERVATION_EXPIRED } from './settleEmailClaim';

export interface Settlement {
  readonly record: StreamRecord;
  readonly followUps: readonly FollowUp[];
}

/**
 * Decides a settlement on the user's stream (decision 0016), pure. If the user holds the address, the reservation
 * is confirmed. Otherwise the claim's user command will never take effect: if the window does not hold it yet, it
 * is remembered as refused (a copy decided later is answered from the window and writes nothing), and the
 * reservation of that claim, if still unconfirmed, expires.
 */
export function settleClaim(
  record: StreamRecord,
  command: SettleEmailClaim,
  window: IdempotencyWindow,
  emailStreamOf: EmailStreamOf,
): Settlement {
  const { claimId, emailStreamId } = command.data;
  const state = record.state;
  if (!isUserState(state)) throw new Error(`${record.streamId} is not a user stream`);
  const m = command.metadata;
  const metadata = { ...m, commandId: `${m.commandId}/follow-up`, causationId: m.commandId };
  const holds =
    state.status !== 'not-registered' && !state.forgotten && emailStreamOf(state.email) === emailStreamId;
  if (holds) {
    const userId = state.userId;
    return {
      record,
      followUps: [
        {
          streamId: emailStreamId,
          expectedVersion: null,
          command: {
            type: 'ConfirmEmail',
            data: { userId, claimId, userVersion: record.version },
            metadata,
          },
          requestFingerprint: null,
        },
      ],
    };
  }
  const expire: FollowUp = {
    streamId: emailStreamId,
    expectedVersion: null,
    command: { type: 'ExpireEmailReservation', data: { claimId }, metadata },
    requestFingerprint: null,
  };
  if (remembered(record, claimId, m.now, window)) return { record, followUps: [expire] };
  const refused: CommandResult = {
    commandId: claimId,
    streamId: record.streamId,
    // A claim on a stream with no user can only be a registration; on a user's, an address change.
    commandType: state.status === 'not-registered' ? 'RegisterUser' : 'ChangeUserEmail',
    outcome: 'rejected',
    version: record.version,
    eventCount: 0,
    consistencyToken: null,
    error: {
      kind: ErrorKind.Conflict,
      code: EMAIL_RESERVATION_EXPIRED,
      message:
        'The address reservation expired before the change was made: send the request again with a new Idempotency-Key',
    },
    completedAt: m.now,
  };
  return {
    record: remember(
      record,
      { commandId: claimId, completedAt: m.now, result: refused, fingerprint: null },
      window,
    ),
    followUps: [expire],
  };
}
