import { createHash, createHmac } from 'node:crypto';
import { isScope, type Scope } from './scopes';

/** One API key as configured: its secret (kept only as a digest), a stable public id, and its scopes. */
export interface ApiKey {
  /**
   * 16 hex digits of an HMAC of the key under `API_KEY_ID_SECRET`: stable, safe to log and to store in the
   * audit trail, and useless for guessing the key offline without the secret.
   */
  readonly id: string;
  /** SHA-256 of the key: what presented keys are compared with, in constant time. */
  readonly digest: Buffer;
  readonly scopes: ReadonlySet<Scope>;
}

/** RFC 6750 b64token: what may follow `Bearer ` in an Authorization header. */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Shorter keys are refused at start-up: they can be guessed. */
export const MIN_KEY_LENGTH = 16;
/** The secret the key ids are derived with: at least this many characters (`openssl rand -base64 32`). */
export const MIN_KEY_ID_SECRET_LENGTH = 32;

/**
 * Keys that were once published (eventfold's own examples): whoever reads the repository holds them, so a
 * deployment that carries one is refused, never served. Kept as digests.
 */
const PUBLISHED_KEYS: ReadonlySet<string> = new Set([
  // dev-eventfold-key-0123456789abcdef: the all-scopes key docker-compose.yml and the dev overlay used to default to.
  '4a15e797de6d6607ca66ff3d73e6d650b5e259b4b6455b82645e373786a6786c',
]);

export function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The public id of a key: an HMAC under the gateway's key id secret, with a prefix that names its purpose. */
export function keyIdOf(key: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(`eventfold-api-key\u0000${key}`, 'utf8')
    .digest('hex')
    .slice(0, 16);
}

/**
 * Parses `API_KEYS`: comma-separated `key=scope+scope` entries (`k1=users:read+users:write,k2=users:read`).
 * The key ends at the last `=`, so a key may end in base64 padding. Returns the keys and every problem found;
 * problems never quote a key, since they end up in logs.
 */
export function parseApiKeys(raw: string, idSecret: string): { keys: ApiKey[]; problems: string[] } {
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
    if (key.length < MIN_KEY_LENGTH) {
      problems.push(`${where}: the key is shorter than ${MIN_KEY_LENGTH} characters, easy to guess`);
      return;
    }
    if (PUBLISHED_KEYS.has(keyDigest(key).toString('hex'))) {
      problems.push(`${where} is a published example key that anyone can use: generate your own`);
      return;
    }
    if (seen.has(key)) {
      problems.push(`${where} repeats an earlier key`);
      return;
    }
    seen.add(key);
    keys.push({
      id: keyIdOf(key, idSecret),
      digest: keyDigest(key),
      scopes: new Set(names as Scope[]),
    });
  });
  return { keys, problems };
}
