import { timingSafeEqual } from 'node:crypto';
import { BEARER_TOKEN, keyDigest, type ApiKey } from './apiKeys';

/** Why a request was not authenticated; `missing` and `malformed` reveal nothing about configured keys. */
export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown';

export type Authentication =
  | { readonly ok: true; readonly key: ApiKey }
  | { readonly ok: false; readonly failure: AuthenticationFailure };

const BEARER = /^Bearer +(\S+)$/i;

/** The configured API keys; finds the key of an `Authorization: Bearer <key>` header. */
export class KeyRing {
  constructor(private readonly keys: readonly ApiKey[]) {}

  get size(): number {
    return this.keys.length;
  }

  /**
   * Compares the presented key's SHA-256 digest with every configured digest (fixed length, so
   * `timingSafeEqual` applies) and never stops early: the time taken does not depend on which key, if any, matched.
   */
  authenticate(authorization: string | undefined): Authentication {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, failure: 'missing' };
    const token = BEARER.exec(authorization.trim())?.[1];
    if (token === undefined || !BEARER_TOKEN.test(token)) return { ok: false, failure: 'malformed' };
    const presented = keyDigest(token);
    let found: ApiKey | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(presented, key.digest) && found === undefined) found = key;
    }
    return found ? { ok: true, key: found } : { ok: false, failure: 'unknown' };
  }
}
