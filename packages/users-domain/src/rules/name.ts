import { ValidationError } from '@eventfold/core';
import { UserErrorCode } from '../errorCodes';

export const MAX_NAME_LENGTH = 100;

/**
 * A name as it is kept: trimmed, in Unicode NFC, 1 to 100 characters (code points), without control characters.
 * Throws a ValidationError saying which rule it breaks.
 */
export function normaliseName(raw: string): string {
  const name = raw.trim().normalize('NFC');
  const length = [...name].length;
  if (length === 0) throw new ValidationError(UserErrorCode.InvalidName, 'Name must not be empty');
  if (length > MAX_NAME_LENGTH) {
    throw new ValidationError(
      UserErrorCode.InvalidName,
      `Name must be at most ${MAX_NAME_LENGTH} characters, not ${length}`,
    );
  }
  if (/\p{Cc}/u.test(name))
    throw new ValidationError(UserErrorCode.InvalidName, 'Name must not contain control characters');
  return name;
}
