import { ErrorKind, EventfoldError, ValidationError } from '@eventfold/core';
import { userStreamId, type RecordedUserEvent } from '@eventfold/users-domain';
import { emailFollowUps, type FollowUp } from '../emailClaims/emailFollowUps';
import type { EmailStreamOf } from '../emailClaims/emailStreamIds';
import { settleClaim } from '../emailClaims/settleClaim';
import type { CommandResult } from './commandResult';
import { decideStream } from './decideStream';
import { isUserState, type IncomingCommand, type RecordedStreamEvent } from './streamCommands';
import { emptyStream, remember, remembered, type IdempotencyWindow, type StreamRecord } from './streamRecord';

export interface DecidedCommand {
  readonly incoming: IncomingCommand;
  /** Events to append, in order (empty when rejected or repeated). */
  readonly events: readonly RecordedStreamEvent[];
  /** Reservation commands to append to users.commands in the same transaction (decision 0016). */
  readonly followUps: readonly FollowUp[];
  /** The result without its consistency token: that depends on the offsets the events get. */
  readonly result: CommandResult;
  /** True when the command was answered from the idempotency window. */
  readonly repeated: boolean;
}

export interface BatchDecision {
  readonly decided: readonly DecidedCommand[];
  /** Every stream the batch changed, as it will be once the events are written (offsets still to fill in). */
  readonly streams: ReadonlyMap<string, StreamRecord>;
}

/**
 * Decides a batch of commands of one partition, in order, against the partition's streams. Pure: writes nothing,
 * changes nothing it was given. A later command of the batch sees the effect of an earlier one on its stream.
 */
export function decideBatch(
  partition: number,
  base: ReadonlyMap<string, StreamRecord>,
  commands: readonly IncomingCommand[],
  window: IdempotencyWindow,
  completedAt: number,
  emailStreamOf: EmailStreamOf,
): BatchDecision {
  const streams = new Map<string, StreamRecord>();
  const decided: DecidedCommand[] = [];
  for (const incoming of commands) {
    const { streamId, command } = incoming;
    const record = streams.get(streamId) ?? base.get(streamId) ?? emptyStream(streamId, partition);
    const resultBase = {
      commandId: command.metadata.commandId,
      streamId,
      commandType: command.type,
      completedAt,
    };
    const previous = remembered(record, command.metadata.commandId, command.metadata.now, window);
    if (previous) {
      const same =
        !previous.fingerprint ||
        !incoming.requestFingerprint ||
        previous.fingerprint === incoming.requestFingerprint;
      // The same key with another request: refused, never answered with the first one's result (a forget must not
      // come back 200 from a rename's). Not remembered: the key stays the first request's.
      const result: CommandResult = same
        ? previous.result
        : {
            ...resultBase,
            outcome: 'rejected',
            version: record.version,
            eventCount: 0,
            consistencyToken: null,
            error: {
              kind: ErrorKind.IllegalState,
              code: 'IDEMPOTENCY_KEY_REUSED',
              message: 'This Idempotency-Key was used for another request: use a new key for a new request',
            },
          };
      decided.push({ incoming, events: [], followUps: [], result, repeated: same });
      continue;
    }
    try {
      if (incoming.homePartition !== partition) {
        throw new ValidationError(
          'COMMAND_MISROUTED',
          `Stream ${streamId} belongs to partition ${incoming.homePartition}, not ${partition}`,
        );
      }
      if (command.type === 'RegisterUser' && userStreamId(command.data.userId) !== streamId) {
        throw new ValidationError(
          'STREAM_ID_MISMATCH',
          `RegisterUser for ${command.data.userId} sent to stream ${streamId}`,
        );
      }
      if (command.type === 'SettleEmailClaim') {
        const settled = settleClaim(record, command, window, emailStreamOf);
        streams.set(streamId, settled.record);
        const result: CommandResult = {
          ...resultBase,
          outcome: 'succeeded',
          version: record.version,
          eventCount: 0,
          consistencyToken: null,
          error: null,
        };
        decided.push({ incoming, events: [], followUps: settled.followUps, result, repeated: false });
        continue;
      }
      const { events, next } = decideStream(record, command, incoming.expectedVersion ?? undefined);
      const followUps = isUserState(record.state)
        ? emailFollowUps(record.state, events as readonly RecordedUserEvent[], emailStreamOf)
        : [];
      const result: CommandResult = {
        ...resultBase,
        outcome: 'succeeded',
        version: next.version,
        eventCount: events.length,
        consistencyToken: null,
        error: null,
      };
      streams.set(
        streamId,
        remember(
          { ...record, ...next },
          {
            commandId: command.metadata.commandId,
            completedAt: command.metadata.now,
            result,
            fingerprint: incoming.requestFingerprint ?? null,
          },
          window,
        ),
      );
      decided.push({ incoming, events, followUps, result, repeated: false });
    } catch (error) {
      if (!(error instanceof EventfoldError)) throw error;
      const result: CommandResult = {
        ...resultBase,
        outcome: 'rejected',
        version: record.version,
        eventCount: 0,
        consistencyToken: null,
        error: { kind: error.kind, code: error.code, message: error.message },
      };
      // Rejections are remembered too (a retry gets the same answer), except for streams that do not exist.
      if (record.version > 0) {
        streams.set(
          streamId,
          remember(
            record,
            {
              commandId: command.metadata.commandId,
              completedAt: command.metadata.now,
              result,
              fingerprint: incoming.requestFingerprint ?? null,
            },
            window,
          ),
        );
      }
      decided.push({ incoming, events: [], followUps: [], result, repeated: false });
    }
  }
  return { decided, streams };
}
