import { readMailbox, type StoredMail } from '@eventfold/infra';
import { testEndpoints } from './endpoints';

export type { StoredMail };

/** Messages the SMTP sink received, optionally only those addressed to `recipient`. */
export function receivedMail(recipient?: string): StoredMail[] {
  const dir = testEndpoints().mailboxDir;
  if (dir === null) throw new Error('SMTP_MAILBOX_DIR is not set: the SMTP server is not the local sink');
  const all = readMailbox(dir);
  return recipient === undefined ? all : all.filter((m) => m.envelope.rcptTo.includes(recipient));
}
