import { ValidationError } from '@eventfold/core';
import { UserErrorCode } from '../errorCodes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A user id is a lower-case UUID; its stream is `user-<uuid>`. */
export function assertUserId(userId: string): string {
  if (!UUID.test(userId))
    throw new ValidationError(
      UserErrorCode.InvalidUserId,
      `User id must be a lower-case UUID, not "${userId}"`,
    );
  return userId;
}

export const userStreamId = (userId: string): string => `user-${userId}`;

/** The user id of a stream id, or null when it is not a user stream. */
export function userIdOfStream(streamId: string): string | null {
  const userId = streamId.startsWith('user-') ? streamId.slice('user-'.length) : '';
  return UUID.test(userId) ? userId : null;
}
