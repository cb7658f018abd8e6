import { randomFillSync } from 'node:crypto';

// Every request draws a trace id and span ids: from a pool refilled 4 KiB at a time, as node's randomUUID caches
// its entropy, rather than a call to the random source per id (profile of the gateway, issue 23). They identify
// traces; they are no secrets.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` random bytes (at most 4,096) as lower-case hex, each byte drawn once. */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_BYTES)
    throw new RangeError(`randomHex draws 1 to ${POOL_BYTES} bytes, not ${bytes}`);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
