/**
 * The mailer port (docs/architecture.md#ports-and-adapters): submit a message with a commit point just before the relay takes
 * responsibility for it, and ask the relay's own record whether it accepted a Message-ID. SMTP implements it for
 * production (services/notifier), files for the single-process mode (packages/embedded); one contract suite
 * checks both.
 */

/** Why a submission failed. Never personal data: built from codes and server replies, not from addresses. */
export interface MailError {
  readonly code: string;
  readonly message: string;
  readonly responseCode: number | null;
}

/** A message ready for the relay: the envelope and the encoded MIME message (which holds the Message-ID). */
export interface OutgoingMail {
  /** The bare sender address (the From header is in `raw`). */
  readonly from: string;
  readonly to: string;
  readonly raw: Buffer;
}

/**
 * How a submission ended. `unavailable`: no session could be opened (not the message's fault). `rejected`: the
 * relay refused, or the message never fully left (safe to send again). `unknown`: the end of the message went out
 * and no reply came: the relay may have accepted it.
 */
export type SubmissionOutcome =
  | { readonly kind: 'accepted'; readonly response: string }
  | { readonly kind: 'unavailable'; readonly error: MailError }
  | { readonly kind: 'rejected'; readonly error: MailError; readonly committed: boolean }
  | { readonly kind: 'unknown'; readonly error: MailError };

/** What the relay's record says of a Message-ID: accepted, not there, or no record to ask. */
export type RelayAnswer = 'accepted' | 'missing' | 'unknown';

export interface Mailer {
  /** What the relay lookup is, for logs (e.g. `SMTP sink mailbox …`, `none`). */
  readonly description: string;
  /**
   * Submits `mail`, calling `commitPoint` just before the relay takes responsibility for it. If `commitPoint`
   * throws, nothing is delivered and the error is rethrown.
   */
  submit(mail: OutgoingMail, commitPoint: () => Promise<void>): Promise<SubmissionOutcome>;
  /** Whether a message with this Message-ID was accepted at or after `since` (epoch ms). */
  lookup(messageId: string, since: number): Promise<RelayAnswer>;
  close(): Promise<void>;
}
