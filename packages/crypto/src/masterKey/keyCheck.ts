import { timingSafeEqual } from 'node:crypto';
import { associatedData, open, seal } from '../aead/aesGcm';
import { CryptoErrorCode, MasterKeyError } from '../errors';
import { MASTER_KEY_VARIABLE, type MasterKey } from './masterKey';

/**
 * A key-check value: a known token sealed under the master key, written once into a key store. A wrong master key
 * fails to open it, so a service with the wrong `KEY_ENCRYPTION_KEY` stops at start-up, before it reads (or worse,
 * writes) a single data key.
 */
export interface KeyCheckValue {
  readonly sealed: Buffer;
  /** The fingerprint of the master key that sealed it: named in the error, to tell operators which key is expected. */
  readonly fingerprint: string;
}

const TOKEN = Buffer.from('eventfold key check v1', 'utf8');
const AAD = associatedData('ef-kcv1');

export function createKeyCheck(master: MasterKey): KeyCheckValue {
  return { sealed: seal(master.key, TOKEN, AAD), fingerprint: master.fingerprint };
}

/** Throws a {@link MasterKeyError} (MASTER_KEY_WRONG) unless `master` is the key that sealed `check`. */
export function verifyKeyCheck(master: MasterKey, check: KeyCheckValue, store: string): void {
  const token = open(master.key, check.sealed, AAD);
  if (token === null || token.length !== TOKEN.length || !timingSafeEqual(token, TOKEN)) {
    throw wrongMasterKey(master, store, check.fingerprint);
  }
}

export function wrongMasterKey(master: MasterKey, store: string, expected: string | null): MasterKeyError {
  const which = expected === null ? '' : ` (it expects the key ${expected}, this is ${master.fingerprint})`;
  return new MasterKeyError(
    CryptoErrorCode.MasterKeyWrong,
    `${MASTER_KEY_VARIABLE} is not the master key of ${store}${which}: set the key it was created with`,
  );
}
