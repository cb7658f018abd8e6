import type { OutgoingMail, SubmissionOutcome } from '@eventfold/core';

/** The mailer port's message and outcome (packages/core/src/ports/mailer.ts): the SMTP submitter speaks them. */
export type { OutgoingMail, SubmissionOutcome };

/** Submits messages to a relay, calling `commitPoint` just before the end of the message is written. */
export interface MailSubmitter {
  /**
   * If `commitPoint` throws, the transaction is abandoned without its terminator (the relay discards it) and the
   * error is rethrown: nothing was delivered.
   */
  submit(mail: OutgoingMail, commitPoint: () => Promise<void>): Promise<SubmissionOutcome>;
}
