/** Stable codes of the reservation streams' refusals. */
export const EmailReservationErrorCode = Object.freeze({
  /** The address is held by another user. Says nothing about who. */
  Taken: 'EMAIL_TAKEN',
  /** A confirmation for a user that holds no reservation of the address: never expected (decision 0016). */
  NotReserved: 'EMAIL_NOT_RESERVED',
} as const);
