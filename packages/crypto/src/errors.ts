import { ErrorKind, EventfoldError, type ErrorOptions } from '@eventfold/core';

export const CryptoErrorCode = Object.freeze({
  MasterKeyMissing: 'MASTER_KEY_MISSING',
  MasterKeyMalformed: 'MASTER_KEY_MALFORMED',
  MasterKeyWrong: 'MASTER_KEY_WRONG',
  DataKeyForgotten: 'DATA_KEY_FORGOTTEN',
  DataKeyUnknown: 'DATA_KEY_UNKNOWN',
  CiphertextMalformed: 'PERSONAL_DATA_CIPHERTEXT_MALFORMED',
  CiphertextRejected: 'PERSONAL_DATA_CIPHERTEXT_REJECTED',
  PlaintextRejected: 'PERSONAL_DATA_PLAINTEXT_REJECTED',
  SchemaUnsupported: 'PERSONAL_DATA_SCHEMA_UNSUPPORTED',
} as const);

export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

/**
 * The master key (`KEY_ENCRYPTION_KEY`) is missing, malformed, or not the one the key store was set up with.
 * Never retriable: a service that meets it at start-up must stop with {@link MasterKeyError.message}, which is one
 * line and never contains the key. Met during a request (a key record written under another master key, or
 * tampered with), it is the server's fault: a 500 that says nothing of the store.
 */
export class MasterKeyError extends EventfoldError {
  readonly kind = ErrorKind.Internal;
  override readonly retriable = false;

  constructor(
    code:
      | typeof CryptoErrorCode.MasterKeyMissing
      | typeof CryptoErrorCode.MasterKeyMalformed
      | typeof CryptoErrorCode.MasterKeyWrong,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** A data key was asked for (to encrypt new personal data) for a stream whose person has been forgotten. */
export class DataKeyForgottenError extends EventfoldError {
  readonly kind = ErrorKind.IllegalState;

  constructor(readonly streamId: string) {
    super(CryptoErrorCode.DataKeyForgotten, `The personal data of ${streamId} has been forgotten`, {
      details: { streamId },
    });
  }
}

/**
 * Personal data that cannot be read, and not because it was forgotten: a malformed or tampered ciphertext, one
 * moved from another stream or field, a key the store never had, or plaintext where ciphertext was required.
 * Not retriable (the same bytes fail again): consumers dead-letter the record.
 */
export class PersonalDataError extends EventfoldError {
  readonly kind = ErrorKind.Validation;

  constructor(
    code: Exclude<
      CryptoErrorCode,
      | typeof CryptoErrorCode.MasterKeyMissing
      | typeof CryptoErrorCode.MasterKeyMalformed
      | typeof CryptoErrorCode.MasterKeyWrong
      | typeof CryptoErrorCode.DataKeyForgotten
    >,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(code, message, options);
  }
}
