import { hkdfSync } from 'node:crypto';
import type { MasterKey } from './masterKey';

/**
 * A 32-byte key for one other purpose, derived from the master key with HKDF-SHA256 (RFC 5869) and the purpose as
 * its info: what it derives reveals nothing of the master key or of another purpose's key, so services that hold
 * the master key need no second secret (the command service keys its hash of client-supplied ids with one).
 */
export function deriveSubkey(master: MasterKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, Buffer.alloc(0), `eventfold ${purpose}`, 32));
}
