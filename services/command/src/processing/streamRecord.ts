import { initialEmailReservationState, initialUserState, isEmailStreamId } from '@eventfold/users-domain';
import type { CommandResult } from './commandResult';
import type { StreamState } from './streamCommands';

/** A command remembered for idempotency: a repeat within the window gets `result` again and writes nothing. */
export interface RememberedCommand {
  readonly commandId: string;
  readonly completedAt: number;
  readonly result: CommandResult;
  /** The fingerprint of the request that carried its Idempotency-Key; null without one (or remembered before). */
  readonly fingerprint: string | null;
}

/** What the owner of a partition keeps per stream: the state, its version, and the idempotency window. */
export interface StreamRecord {
  readonly streamId: string;
  /** A user's state, or a reservation stream's (decision 0016): which one, the stream id says. */
  readonly state: StreamState;
  readonly version: number;
  /** Offset in users.events of the stream's last event; -1 before the first. */
  readonly lastEventOffset: bigint;
  readonly lastEventPartition: number;
  /** Oldest first. */
  readonly recent: readonly RememberedCommand[];
}

export const emptyStream = (streamId: string, partition: number): StreamRecord => ({
  streamId,
  state: isEmailStreamId(streamId) ? initialEmailReservationState() : initialUserState(),
  version: 0,
  lastEventOffset: -1n,
  lastEventPartition: partition,
  recent: [],
});

export interface IdempotencyWindow {
  readonly windowMs: number;
  /** Bound per stream, so that a snapshot stays small whatever the command rate. */
  readonly maxCommands: number;
}

/** Adds a command's outcome to the window and drops what fell out of it. */
export function remember(
  record: StreamRecord,
  entry: RememberedCommand,
  window: IdempotencyWindow,
): StreamRecord {
  const horizon = entry.completedAt - window.windowMs;
  const recent = [
    ...record.recent.filter((r) => r.completedAt >= horizon && r.commandId !== entry.commandId),
    entry,
  ];
  return { ...record, recent: recent.slice(-window.maxCommands) };
}

/** The command with this id, if the stream remembers it within the window. */
export function remembered(
  record: StreamRecord,
  commandId: string,
  now: number,
  window: IdempotencyWindow,
): RememberedCommand | null {
  const hit = record.recent.find((r) => r.commandId === commandId);
  return hit && hit.completedAt >= now - window.windowMs ? hit : null;
}
