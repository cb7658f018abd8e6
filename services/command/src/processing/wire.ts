import { ERASED, type CommandMetadata, type ErrorKind } from '@eventfold/core';
import { isEmailStreamId, type EmailReservationState, type UserState } from '@eventfold/users-domain';
import type { CommandResult } from './commandResult';
import type { IncomingCommand } from './streamCommands';
import type { StreamCommand, StreamState } from './streamCommands';
import { isUserState } from './streamCommands';
import type { StreamRecord } from './streamRecord';

// Mappings between the processing types and their Avro records (schemas/users/*.avsc).

const PAYLOAD = 'eventfold.users.';

type Envelope = Omit<IncomingCommand, 'homePartition'>;

export function envelopeToRecord({
  streamId,
  expectedVersion,
  command,
  requestFingerprint,
}: Envelope): Record<string, unknown> {
  const m = command.metadata;
  return {
    commandId: m.commandId,
    streamId,
    expectedVersion,
    issuedAt: m.now,
    actor: m.actor,
    correlationId: m.correlationId,
    causationId: m.causationId,
    payload: { [`${PAYLOAD}${command.type}Payload`]: command.data },
    requestFingerprint: requestFingerprint ?? null,
  };
}

export function envelopeFromRecord(value: Record<string, unknown>): Envelope {
  const payload = value.payload as Record<string, Record<string, unknown>>;
  const [branch, data] = Object.entries(payload)[0]!;
  const type = branch.slice(PAYLOAD.length, -'Payload'.length) as StreamCommand['type'];
  const metadata: CommandMetadata = {
    commandId: value.commandId as string,
    now: value.issuedAt as number,
    actor: value.actor as string,
    correlationId: value.correlationId as string,
    causationId: value.causationId as string,
  };
  return {
    streamId: value.streamId as string,
    expectedVersion: (value.expectedVersion as number | null) ?? null,
    command: { type, data: { ...data }, metadata } as StreamCommand,
    requestFingerprint: (value.requestFingerprint as string | null | undefined) ?? null,
  };
}

/** The snapshot fields of a stream's state: a user's, or a reservation stream's (which holds no address). */
function stateFields(s: StreamState): Record<string, unknown> {
  const none = { name: null, email: null, locale: null, forgotten: false };
  if (!isUserState(s)) {
    return s.status === 'free'
      ? { status: s.status, userId: null, ...none, pendingClaims: [], confirmedAtVersion: null }
      : {
          status: s.status,
          userId: s.userId,
          ...none,
          pendingClaims: s.pending.map((p) => ({ claimId: p.claimId, reservedAt: p.reservedAt })),
          confirmedAtVersion: s.confirmedAtVersion,
        };
  }
  // A forgotten user's snapshot holds no personal field at all, not even the erasure marker.
  const personal = s.status === 'not-registered' || s.forgotten ? null : s;
  return {
    status: s.status,
    userId: s.status === 'not-registered' ? null : s.userId,
    name: personal?.name ?? null,
    email: personal?.email ?? null,
    locale: s.status === 'not-registered' ? null : s.locale,
    forgotten: s.status !== 'not-registered' && s.forgotten,
    pendingClaims: [],
    confirmedAtVersion: null,
  };
}

function reservationStateOf(value: Record<string, unknown>): EmailReservationState {
  if (value.status !== 'held') return { status: 'free' };
  const pending = (value.pendingClaims as { claimId: string; reservedAt: number }[] | undefined) ?? [];
  return {
    status: 'held',
    userId: value.userId as string,
    pending: pending.map((p) => ({ claimId: p.claimId, reservedAt: p.reservedAt })),
    confirmedAtVersion: (value.confirmedAtVersion as number | null | undefined) ?? null,
  };
}

export function snapshotToRecord(record: StreamRecord): Record<string, unknown> {
  return {
    streamId: record.streamId,
    version: record.version,
    ...stateFields(record.state),
    lastEventPartition: record.lastEventPartition,
    lastEventOffset: Number(record.lastEventOffset),
    recentCommands: record.recent.map((r) => ({
      commandId: r.commandId,
      completedAt: r.completedAt,
      result: JSON.stringify(r.result),
      fingerprint: r.fingerprint,
    })),
  };
}

export function snapshotFromRecord(value: Record<string, unknown>): StreamRecord {
  const status = value.status as UserState['status'];
  const forgotten = value.forgotten === true;
  const state: StreamState = isEmailStreamId(value.streamId as string)
    ? reservationStateOf(value)
    : status === 'not-registered'
      ? { status }
      : {
          status,
          userId: value.userId as string,
          name: forgotten ? ERASED : (value.name as string),
          email: forgotten ? ERASED : (value.email as string),
          locale: (value.locale as string | null) ?? null,
          forgotten,
        };
  return {
    streamId: value.streamId as string,
    state,
    version: value.version as number,
    lastEventOffset: BigInt(value.lastEventOffset as number),
    lastEventPartition: value.lastEventPartition as number,
    recent: (
      value.recentCommands as {
        commandId: string;
        completedAt: number;
        result: string;
        fingerprint?: string | null;
      }[]
    ).map((r) => ({
      commandId: r.commandId,
      completedAt: r.completedAt,
      result: JSON.parse(r.result) as CommandResult,
      fingerprint: r.fingerprint ?? null,
    })),
  };
}

export function resultToRecord(result: CommandResult): Record<string, unknown> {
  return {
    commandId: result.commandId,
    streamId: result.streamId,
    commandType: result.commandType,
    outcome: result.outcome,
    version: result.version,
    eventCount: result.eventCount,
    consistencyToken: result.consistencyToken,
    errorKind: result.error?.kind ?? null,
    errorCode: result.error?.code ?? null,
    errorMessage: result.error?.message ?? null,
    completedAt: result.completedAt,
  };
}

export function resultFromRecord(value: Record<string, unknown>): CommandResult {
  return {
    commandId: value.commandId as string,
    streamId: value.streamId as string,
    commandType: value.commandType as string,
    outcome: value.outcome as CommandResult['outcome'],
    version: value.version as number,
    eventCount: value.eventCount as number,
    consistencyToken: (value.consistencyToken as string | null) ?? null,
    error:
      value.errorCode == null
        ? null
        : {
            kind: value.errorKind as ErrorKind,
            code: value.errorCode as string,
            message: (value.errorMessage as string | null) ?? '',
          },
    completedAt: value.completedAt as number,
  };
}
