import { ValidationError } from '@eventfold/core';
import { UserErrorCode } from '../errorCodes';

export const MAX_REASON_LENGTH = 500;

/** A reason as it is kept: trimmed, at most 500 characters, no control characters; empty means none (null). */
export function normaliseReason(raw: string | null): string | null {
  if (raw === null) return null;
  const reason = raw.trim();
  if (reason.length === 0) return null;
  if ([...reason].length > MAX_REASON_LENGTH) {
    throw new ValidationError(
      UserErrorCode.InvalidReason,
      `Reason must be at most ${MAX_REASON_LENGTH} characters`,
    );
  }
  if (/\p{Cc}/u.test(reason))
    throw new ValidationError(UserErrorCode.InvalidReason, 'Reason must not contain control characters');
  return reason;
}

/** A reason that must be given (a correction says why the recorded value was wrong). */
export function requireReason(raw: string): string {
  const reason = normaliseReason(raw);
  if (reason === null) throw new ValidationError(UserErrorCode.InvalidReason, 'A reason is required');
  return reason;
}
