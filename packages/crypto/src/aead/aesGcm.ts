import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

// AES-256-GCM as used everywhere in this package: a fresh random 96-bit IV per message (NIST SP 800-38D §8.2.2:
// safe up to 2^32 messages per key; a data key encrypts one person's fields, far fewer), a 128-bit tag, and the
// sealed form iv (12 bytes) | ciphertext | tag (16 bytes).
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * Encrypts and authenticates `plaintext`, binding `aad` (which is authenticated, not stored). `iv` must be fresh
 * random bytes never used before: by default drawn here; a caller sealing several messages may draw theirs at once.
 */
export function seal(
  key: KeyObject,
  plaintext: Buffer,
  aad: Buffer,
  iv: Buffer = randomBytes(IV_BYTES),
): Buffer {
  if (iv.length !== IV_BYTES)
    throw new RangeError(`an AES-GCM IV here is ${IV_BYTES} bytes, not ${iv.length}`);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext, or null when `sealed` was not sealed by `key` with this `aad` (wrong key, moved, tampered). */
export function open(key: KeyObject, sealed: Buffer, aad: Buffer): Buffer | null {
  if (sealed.length < IV_BYTES + TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return null;
  }
}

/**
 * Associated data from parts, unambiguously (a JSON array, so no choice of separator can make two different
 * part lists collide).
 */
export const associatedData = (...parts: readonly string[]): Buffer =>
  Buffer.from(JSON.stringify(parts), 'utf8');
