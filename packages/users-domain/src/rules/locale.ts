import { ValidationError } from '@eventfold/core';
import { UserErrorCode } from '../errorCodes';

/** A language tag such as `en` or `pt-BR` (BCP 47 language and optional region), normalised to that case. */
export function normaliseLocale(raw: string | null): string | null {
  if (raw === null) return null;
  const match = /^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?$/.exec(raw.trim());
  if (!match)
    throw new ValidationError(
      UserErrorCode.InvalidLocale,
      `Locale must look like "en" or "pt-BR", not "${raw}"`,
    );
  return match[2] ? `${match[1]!.toLowerCase()}-${match[2].toUpperCase()}` : match[1]!.toLowerCase();
}
