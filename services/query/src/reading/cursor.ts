import { ValidationError } from '@eventfold/core';
import { userIdOfStream, userStreamId } from '@eventfold/users-domain';

// Keyset cursors in the shapes the document states (UserCursor, EventCursor), so that every cursor of that shape
// names a place to continue after and is answered, not only the ones this service issued.

/** A search's place: base64url of the last name key, a dot, and the last user id. */
export function encodeSearchCursor(nameKey: string, streamId: string): string {
  return `${Buffer.from(nameKey, 'utf8').toString('base64url')}.${userIdOfStream(streamId) ?? ''}`;
}

/** The (name key, stream id) a search cursor names; any base64url decodes to some name key. */
export function decodeSearchCursor(cursor: string | undefined): [nameKey: string, streamId: string] | null {
  if (cursor === undefined) return null;
  const dot = cursor.lastIndexOf('.');
  const userId = cursor.slice(dot + 1);
  if (dot < 0 || userIdOfStream(userStreamId(userId)) === null)
    throw new ValidationError('INVALID_CURSOR', 'cursor is not a search cursor');
  return [Buffer.from(cursor.slice(0, dot), 'base64url').toString('utf8'), userStreamId(userId)];
}

/** An audit trail's place: the last version returned. */
export const encodeEventsCursor = (version: number): string => String(version);

export function decodeEventsCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  if (!/^(0|[1-9][0-9]{0,14})$/.test(cursor))
    throw new ValidationError('INVALID_CURSOR', 'cursor is not an audit trail cursor');
  return Number(cursor);
}
