import { ValidationError } from '@eventfold/core';

/**
 * A position in the event log, `<partition>:<offset>` (docs/decisions/0004-consistency-tokens.md): what a write
 * answers as X-Consistency-Token, and, one per partition, what the all-users feed sends as event ids.
 */
export interface LogPosition {
  readonly partition: number;
  readonly offset: bigint;
}

const TOKEN = /^([0-9]{1,5}):([0-9]{1,19})$/;

/** `<partition>:<offset>`. */
export const formatConsistencyToken = (partition: number, offset: bigint | string): string =>
  `${partition}:${offset}`;

/** The position a token names; anything but `<partition>:<offset>` is refused. */
export function parseConsistencyToken(token: string): LogPosition {
  const match = TOKEN.exec(token);
  if (!match)
    throw new ValidationError('INVALID_HEADER', `${JSON.stringify(token)} is not a consistency token`);
  return { partition: Number(match[1]), offset: BigInt(match[2]!) };
}
