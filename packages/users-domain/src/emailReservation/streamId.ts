/** Reservation streams are `email-<hex>`; user streams are `user-<uuid>` (decision 0016). */
export const EMAIL_STREAM_PREFIX = 'email-';

/** True for the id (or record key) of a reservation stream: readers of users.events that want users skip these. */
export const isEmailStreamId = (streamId: string | null | undefined): boolean =>
  typeof streamId === 'string' && streamId.startsWith(EMAIL_STREAM_PREFIX);
