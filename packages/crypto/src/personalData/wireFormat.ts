import { associatedData } from '../aead/aesGcm';

// The erasure marker lives in core so that the pure users domain shares it without depending on this package.
export { ERASED } from '@eventfold/core';

/** The Kafka header that names the data key of a record's personal fields (absent when it has none). */
export const PII_KEY_ID_HEADER = 'pii-key-id';

/** Every encrypted personal field starts with this: format version 1. */
export const ENVELOPE_PREFIX = 'ef1:';

/** An encrypted personal field, parsed: `ef1:<keyId>:<base64url(iv | ciphertext | tag)>`. */
export interface FieldEnvelope {
  readonly keyId: string;
  readonly sealed: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// 12-byte IV + 16-byte tag, for the empty string.
const MIN_SEALED = 28;

export const isEnvelope = (value: string): boolean => value.startsWith(ENVELOPE_PREFIX);

export function formatEnvelope({ keyId, sealed }: FieldEnvelope): string {
  return `${ENVELOPE_PREFIX}${keyId}:${sealed.toString('base64url')}`;
}

/**
 * The key id and sealed bytes of an encrypted field, or null when `value` is not one. The key id may itself hold
 * `:` (it starts with the stream id); base64url never does, so the last `:` ends the key id.
 */
export function parseEnvelope(value: string): FieldEnvelope | null {
  if (!isEnvelope(value)) return null;
  const last = value.lastIndexOf(':');
  if (last <= ENVELOPE_PREFIX.length) return null;
  const payload = value.slice(last + 1);
  if (!BASE64URL.test(payload)) return null;
  const sealed = Buffer.from(payload, 'base64url');
  if (sealed.length < MIN_SEALED) return null;
  return { keyId: value.slice(ENVELOPE_PREFIX.length, last), sealed };
}

/**
 * What a field's ciphertext is bound to: format, key, stream and field path. A ciphertext copied into another
 * stream or another field fails authentication instead of decrypting there.
 */
export const fieldAad = (keyId: string, streamId: string, path: string): Buffer =>
  associatedData('ef1', keyId, streamId, path);
