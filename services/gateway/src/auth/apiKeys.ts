import { createHash } from 'node:crypto';
import { isScope, type Scope } from './scopes';

/** One API key as configured: its secret (kept only as a digest), a stable public id, and its scopes. */
export interface ApiKey {
  /** The first 12 hex digits of SHA-256 over a domain prefix and the key: stable, safe to log and to store. */
  readonly id: string;
  /** SHA-256 of the key: what presented keys are compared with, in constant time. */
  readonly digest: Buffer;
  readonly scopes: ReadonlySet<Scope>;
  /** Shorter than {@link WEAK_KEY_LENGTH}: accepted, but worth a warning at start-up. */
  readonly weak: boolean;
}

/** RFC 6750 b64token: what may follow `Bearer ` in an Authorization header. */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
export const WEAK_KEY_LENGTH = 16;

export function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The public id of a key; the prefix keeps it from ever equalling a digest used elsewhere. */
export function keyIdOf(key: string): string {
  return createHash('sha256').update(`eventfold-api-key\u0000${key}`, 'utf8').digest('hex').slice(0, 12);
}

/**
 * Parses `API_KEYS`: comma-separated `key=scope+scope` entries (`k1=users:read+users:write,k2=users:read`).
 * The key ends at the last `=`, so a key may end in base64 padding. Returns the keys and every problem found;
 * problems never quote a key, since they end up in logs.
 */
export function parseApiKeys(raw: string): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const where = `API_KEYS entry ${index + 1}`;
    const split = entry.lastIndexOf('=');
    const key = split > 0 ? entry.slice(0, split) : '';
    const scopeList = split > 0 ? entry.slice(split + 1) : '';
    if (!key || !scopeList) {
      problems.push(`${where} must look like key=scope+scope`);
      return;
    }
    if (!BEARER_TOKEN.test(key)) {
      problems.push(`${where}: the key may only hold letters, digits and - . _ ~ + / (then = padding)`);
      return;
    }
    const names = scopeList.split('+').map((s) => s.trim());
    const unknown = names.filter((name) => !isScope(name));
    if (unknown.length > 0) {
      problems.push(`${where}: unknown scope ${unknown.map((u) => `"${u}"`).join(', ')}`);
      return;
    }
    if (seen.has(key)) {
      problems.push(`${where} repeats an earlier key`);
      return;
    }
    seen.add(key);
    keys.push({
      id: keyIdOf(key),
      digest: keyDigest(key),
      scopes: new Set(names as Scope[]),
      weak: key.length < WEAK_KEY_LENGTH,
    });
  });
  return { keys, problems };
}
