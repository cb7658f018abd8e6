import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { associatedData, KEY_BYTES, open, seal } from '../aead/aesGcm';
import type { MasterKey } from '../masterKey/masterKey';

/** One person's data key: 256 bits, used for every personal field of one stream, and nothing else. */
export interface DataKey {
  /** `<streamId>#<random>`: names this key, and the stream it belongs to without a lookup. */
  readonly keyId: string;
  readonly streamId: string;
  /** A KeyObject, so the key never shows in logs or JSON by accident. */
  readonly key: KeyObject;
}

const SEPARATOR = '#';

/**
 * The stream a key id belongs to, or null when it is not a key id. The stream id is the part before the last `#`
 * (the random part after it never holds one), so every key lookup is by stream id: an `_id` lookup in any store.
 */
export function streamIdOfKeyId(keyId: string): string | null {
  const at = keyId.lastIndexOf(SEPARATOR);
  return at > 0 && at < keyId.length - 1 ? keyId.slice(0, at) : null;
}

export function newDataKey(streamId: string): DataKey {
  return {
    keyId: `${streamId}${SEPARATOR}${randomBytes(8).toString('base64url')}`,
    streamId,
    key: createSecretKey(randomBytes(KEY_BYTES)),
  };
}

// A wrapped key is bound to its key id and stream: swapping wrapped keys between store entries fails to unwrap.
const wrapAad = (keyId: string, streamId: string) => associatedData('ef-dk1', keyId, streamId);

/** The data key sealed under the master key (AES-256-GCM): iv | ciphertext | tag, 60 bytes. */
export function wrapDataKey(master: MasterKey, dataKey: DataKey): Buffer {
  return seal(master.key, dataKey.key.export(), wrapAad(dataKey.keyId, dataKey.streamId));
}

/** The data key, or null when `wrapped` does not open under `master` for this key id and stream. */
export function unwrapDataKey(
  master: MasterKey,
  keyId: string,
  streamId: string,
  wrapped: Buffer,
): DataKey | null {
  const raw = open(master.key, wrapped, wrapAad(keyId, streamId));
  if (raw === null || raw.length !== KEY_BYTES) return null;
  const key = createSecretKey(raw);
  raw.fill(0);
  return { keyId, streamId, key };
}
