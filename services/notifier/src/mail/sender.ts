import addressparser from 'nodemailer/lib/addressparser';
import { ValidationError } from '@eventfold/core';

/** Who the notifier writes as: the From header as configured, and the bare address for SMTP's MAIL FROM. */
export interface Sender {
  readonly header: string;
  readonly address: string;
}

/** `eventfold <no-reply@example.com>` or `no-reply@example.com`: exactly one mailbox. */
export function parseSender(value: string): Sender {
  const mailboxes = addressparser(value, { flatten: true });
  const address = mailboxes.length === 1 ? mailboxes[0]!.address : undefined;
  if (!address || !/^[^\s@]+@[^\s@]+$/.test(address))
    throw new ValidationError(
      'INVALID_MAIL_FROM',
      `MAIL_FROM must be one mailbox such as "eventfold <no-reply@example.com>", not "${value}"`,
    );
  return { header: value, address };
}
