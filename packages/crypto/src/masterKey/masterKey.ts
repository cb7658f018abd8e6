import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { KEY_BYTES } from '../aead/aesGcm';
import { CryptoErrorCode, MasterKeyError } from '../errors';

/** The environment variable that holds the master key (the key-encryption key). */
export const MASTER_KEY_VARIABLE = 'KEY_ENCRYPTION_KEY';

/**
 * The master key: wraps every data key, and is used for nothing else directly (other keys are derived from it with
 * HKDF, `deriveSubkey`). Held as a KeyObject, so that it never appears in a
 * log line, a JSON dump or an error by accident (`util.inspect` shows only its size).
 */
export interface MasterKey {
  readonly key: KeyObject;
  /**
   * Eight hex digits that name this key without revealing it (an HMAC of a fixed label): start-up errors say
   * which key the store expects and which one was given.
   */
  readonly fingerprint: string;
}

/**
 * SHA-256 of master keys that were once published (the example in eventfold's docker-compose.yml and dev overlay):
 * anyone can read what they wrap, so crypto-shredding under them erases nothing. Refused everywhere.
 */
const PUBLISHED_KEYS: ReadonlySet<string> = new Set([
  '3a172aa92d041c531410d36157af1f0bfa82b547bf435ac37968e4a44cfc1256',
]);

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;

export function masterKeyFromBytes(bytes: Buffer): MasterKey {
  const fingerprint = createHmac('sha256', bytes)
    .update('eventfold master key fingerprint v1')
    .digest('hex')
    .slice(0, 8);
  return { key: createSecretKey(Buffer.from(bytes)), fingerprint };
}

/**
 * Parses `KEY_ENCRYPTION_KEY`: 32 bytes as 64 hex digits or as base64 (standard or URL-safe, padding optional).
 * Throws a {@link MasterKeyError} with a one-line message when it is missing, malformed or trivially weak; the
 * message never quotes the value.
 */
export function parseMasterKey(value: string | undefined, variable = MASTER_KEY_VARIABLE): MasterKey {
  const text = value?.trim() ?? '';
  if (text === '') {
    throw new MasterKeyError(
      CryptoErrorCode.MasterKeyMissing,
      `${variable} is required: 32 random bytes as base64 or hex, e.g. from \`openssl rand -base64 32\``,
    );
  }
  let bytes: Buffer | null = null;
  if (HEX.test(text)) bytes = Buffer.from(text, 'hex');
  else if (BASE64.test(text)) bytes = Buffer.from(text, 'base64');
  else if (BASE64URL.test(text)) bytes = Buffer.from(text, 'base64url');
  if (bytes === null || bytes.length !== KEY_BYTES) {
    throw new MasterKeyError(
      CryptoErrorCode.MasterKeyMalformed,
      `${variable} must be 32 bytes as 64 hex digits or 44 base64 characters; the value set (${text.length} characters) is neither`,
    );
  }
  if (bytes.every((b) => b === bytes[0])) {
    throw new MasterKeyError(
      CryptoErrorCode.MasterKeyMalformed,
      `${variable} is 32 identical bytes, not a random key: generate one with \`openssl rand -base64 32\``,
    );
  }
  if (PUBLISHED_KEYS.has(createHash('sha256').update(bytes).digest('hex'))) {
    throw new MasterKeyError(
      CryptoErrorCode.MasterKeyMalformed,
      `${variable} is a key published in eventfold's examples, which anyone can read data under: generate your own with \`openssl rand -base64 32\``,
    );
  }
  return masterKeyFromBytes(bytes);
}

/** A new random master key, base64-encoded as `KEY_ENCRYPTION_KEY` expects it. */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
