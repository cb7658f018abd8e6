import { ErrorKind, EventfoldError, type ErrorOptions } from '@eventfold/core';

/** Where a record was read from: every decode failure names it. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export const RecordDecodeErrorCode = Object.freeze({
  NotFramed: 'RECORD_NOT_CONFLUENT_FRAMED',
  UnknownSchemaId: 'RECORD_UNKNOWN_SCHEMA_ID',
  UnknownRecordType: 'RECORD_UNKNOWN_TYPE',
  Incompatible: 'RECORD_SCHEMA_INCOMPATIBLE',
  Corrupt: 'RECORD_CORRUPT',
  // Decoded, but its personal fields cannot be decrypted (tampered, moved, or under a key the store never had).
  PersonalData: 'RECORD_PERSONAL_DATA_UNREADABLE',
} as const);

/**
 * A record that cannot be decoded: not retriable, since the same bytes will fail again. Consumers send it to a
 * dead-letter topic rather than crash or guess.
 */
export class RecordDecodeError extends EventfoldError {
  readonly kind = ErrorKind.Validation;

  constructor(
    code: (typeof RecordDecodeErrorCode)[keyof typeof RecordDecodeErrorCode],
    reason: string,
    readonly position: RecordPosition,
    options: ErrorOptions = {},
  ) {
    super(code, `Cannot decode ${position.topic}[${position.partition}]@${position.offset}: ${reason}`, {
      ...options,
      details: { ...position, ...options.details },
    });
  }
}
