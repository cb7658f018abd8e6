import type { ErrorKind } from '@eventfold/core';
import { formatConsistencyToken } from '@eventfold/users-api';

/** The outcome of one command, as the command service answers it and as users.command-results carries it. */
export interface CommandResult {
  readonly commandId: string;
  readonly streamId: string;
  readonly commandType: string;
  readonly outcome: 'succeeded' | 'rejected';
  /** The stream's version after the command (unchanged when rejected). */
  readonly version: number;
  readonly eventCount: number;
  /** `<partition>:<offset>` of the command's last event in users.events, for read-your-writes. */
  readonly consistencyToken: string | null;
  readonly error: { readonly kind: ErrorKind; readonly code: string; readonly message: string } | null;
  readonly completedAt: number;
}

/** `<partition>:<offset>`, as users-api writes and reads every consistency token. */
export const consistencyToken = formatConsistencyToken;
