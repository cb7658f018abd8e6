import { createHmac } from 'node:crypto';
import { deriveSubkey, type MasterKey } from '@eventfold/crypto';
import { EMAIL_STREAM_PREFIX, normaliseEmail } from '@eventfold/users-domain';

/** The reservation stream of an address (normalised first), as a function the pure command path can be given. */
export type EmailStreamOf = (email: string) => string;

/**
 * `email-<hex>`: HMAC-SHA256 of the normalised address under a key of the service's own (decision 0016), so that
 * neither the stream id nor the record key holds the address, and nobody without the key can test a guess.
 */
export function emailStreamIds(key: Buffer): EmailStreamOf {
  return (email) =>
    `${EMAIL_STREAM_PREFIX}${createHmac('sha256', key).update(normaliseEmail(email)).digest('hex')}`;
}

/** The command service's reservation stream ids: keyed from the master key, the same in every instance. */
export const emailStreamIdsFor = (master: MasterKey): EmailStreamOf =>
  emailStreamIds(deriveSubkey(master, 'email streams v1'));
