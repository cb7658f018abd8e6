import { ValidationError } from '@eventfold/core';
import { UserErrorCode } from '../errorCodes';

export const MAX_NAME_LENGTH = 100;

/**
 * Characters that change how a name looks without being seen: the bidirectional embeddings, overrides, isolates and
 * marks (U+202A–U+202E, U+2066–U+2069, U+200E–U+200F: "Ada\u202Eecila" shows as another name) and the zero-width
 * space, word joiner and byte-order mark (U+200B, U+2060, U+FEFF). A user named with them could pass for another.
 * The zero-width joiner and non-joiner (U+200C, U+200D) are letters' business in Persian, Arabic and the Indic
 * scripts ("علی‌رضا"): allowed between two letters, refused anywhere else.
 */
const INVISIBLE =
  /[\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|(?<![\p{L}\p{M}])[\u200C\u200D]|[\u200C\u200D](?!\p{L})/u;

/**
 * A name as it is kept: trimmed, in Unicode NFC, 1 to 100 characters (code points), without control characters or
 * invisible ones that change how it reads. Throws a ValidationError saying which rule it breaks.
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
  if (INVISIBLE.test(name))
    throw new ValidationError(
      UserErrorCode.InvalidName,
      'Name must not contain bidirectional controls or zero-width characters',
    );
  return name;
}
