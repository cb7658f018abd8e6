import type { Mailer } from '@eventfold/core';
import type { RelayLookup } from './relayLookup';
import { SmtpSubmitter, type SmtpSubmitterOptions } from './smtpSubmitter';

/** The mailer port over SMTP: nodemailer submission with a held-back terminator, and the relay's own record. */
export function smtpMailer(options: SmtpSubmitterOptions, relay: RelayLookup): Mailer {
  const submitter = new SmtpSubmitter(options);
  return {
    description: relay.description,
    submit: (mail, commitPoint) => submitter.submit(mail, commitPoint),
    lookup: (messageId, since) => relay.lookup(messageId, since),
    close: async () => submitter.close(),
  };
}
