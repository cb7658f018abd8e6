import type { LedgerError } from '../ledger/ledgerEntry';

/** A message ready for the relay: the SMTP envelope and the encoded MIME message. */
export interface OutgoingMail {
  /** The bare sender address, for MAIL FROM (the From header is in `raw`). */
  readonly from: string;
  readonly to: string;
  readonly raw: Buffer;
}

/**
 * How a submission ended. `unavailable`: no SMTP session could be opened (connection refused, no greeting, login
 * failed): a fault of the relay or of our configuration, not of the message. `rejected`: the relay refused, or the
 * message never fully left (safe to send again). `unknown`: the terminator went out and no reply came (a timeout,
 * a dropped connection): the relay may have accepted the message.
 */
export type SubmissionOutcome =
  | { readonly kind: 'accepted'; readonly response: string }
  | { readonly kind: 'unavailable'; readonly error: LedgerError }
  | { readonly kind: 'rejected'; readonly error: LedgerError; readonly committed: boolean }
  | { readonly kind: 'unknown'; readonly error: LedgerError };

/** Submits messages to a relay, calling `commitPoint` just before the end of the message is written. */
export interface MailSubmitter {
  /**
   * If `commitPoint` throws, the transaction is abandoned without its terminator (the relay discards it) and the
   * error is rethrown: nothing was delivered.
   */
  submit(mail: OutgoingMail, commitPoint: () => Promise<void>): Promise<SubmissionOutcome>;
}
