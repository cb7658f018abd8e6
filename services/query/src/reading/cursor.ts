import { ValidationError } from '@eventfold/core';

/** Opaque keyset cursors: base64url JSON of the sort key of the last item returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends readonly (string | number)[]>(
  cursor: string | undefined,
  shape: readonly ('string' | 'number')[],
): T | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === shape.length && key.every((k, i) => typeof k === shape[i]))
      return key as unknown as T;
  } catch {
    /* fall through */
  }
  throw new ValidationError('INVALID_CURSOR', 'cursor is not one this service issued');
}
