import type { Upcaster } from '../codec/upcaster';
import { userRecordName } from './topics';

/**
 * UserRegistered v1 stored the email as entered; from v2 on an email's domain is always lower-case (mailboxes
 * are matched on it). Same fields, new meaning: Avro resolution cannot express that, this upcaster does.
 */
export const normaliseV1RegisteredEmail: Upcaster = {
  record: userRecordName('UserRegistered'),
  fromVersion: 1,
  upcast(value) {
    const email = typeof value.email === 'string' ? value.email.trim() : value.email;
    if (typeof email !== 'string') return value;
    const at = email.lastIndexOf('@');
    return { ...value, email: at < 0 ? email : `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}` };
  },
};

export const userUpcasters: readonly Upcaster[] = Object.freeze([normaliseV1RegisteredEmail]);
