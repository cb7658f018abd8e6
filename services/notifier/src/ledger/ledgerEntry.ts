import type { TemplateName } from '../templates/templates';

export const LedgerStatus = Object.freeze({
  /** Not yet known to be delivered: no attempt yet, a retry due, or an attempt whose outcome is unknown. */
  Pending: 'pending',
  /** The relay accepted the message (or, without a way to ask it, is presumed to have): never send again. */
  Sent: 'sent',
  /** Given up: the notification went to the dead-letter topic. Never send again, never dead-letter again. */
  Dead: 'dead',
} as const);
export type LedgerStatus = (typeof LedgerStatus)[keyof typeof LedgerStatus];

/** How a `sent` entry came to be known as sent. */
export const Confirmation = Object.freeze({
  /** The relay answered 250 to the end of the message. */
  SmtpReply: 'smtp-reply',
  /** The reply was lost (crash, timeout) and the relay's own record says it accepted the message. */
  RelayLookup: 'relay-lookup',
  /** The reply was lost, the relay cannot be asked, and the policy is to presume delivery (at most once). */
  Presumed: 'presumed',
} as const);
export type Confirmation = (typeof Confirmation)[keyof typeof Confirmation];

export interface LedgerError {
  readonly code: string;
  /** Never personal data: built from codes and server replies, not from addresses. */
  readonly message: string;
  readonly responseCode: number | null;
}

/**
 * The commit point of an attempt: written (and acknowledged) just before the terminating `<CRLF>.<CRLF>` goes to
 * the relay, cleared once its reply is known. Found set by anyone else, it means the outcome of that attempt is
 * unknown: the relay may or may not have accepted the message.
 */
export interface InFlightAttempt {
  readonly attempt: number;
  readonly committedAt: number;
  /** Random id of the SMTP submission: tells this process's own attempt from another writer's. */
  readonly submissionId: string;
}

/** One (event, template) in the ledger: `pending` → `sent` (or `dead`), with attempts and timestamps. */
export interface LedgerEntry {
  /** `${eventId}:${template}` */
  readonly key: string;
  readonly eventId: string;
  readonly template: TemplateName;
  readonly streamId: string;
  readonly eventVersion: number;
  readonly messageId: string;
  readonly status: LedgerStatus;
  /** Attempts made: SMTP transactions that reached the commit point or failed with a known outcome. */
  readonly attempts: number;
  readonly inFlight: InFlightAttempt | null;
  /** Epoch ms before which the next attempt must not start (backoff); null: at once. */
  readonly nextAttemptAt: number | null;
  readonly lastError: LedgerError | null;
  readonly confirmedBy: Confirmation | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly sentAt: number | null;
  readonly deadLetteredAt: number | null;
  /** Incremented by every write; a write names the revision it read (optimistic concurrency). */
  readonly revision: number;
}

/** The ids a new entry starts from: everything but personal data. */
export type LedgerSubject = Pick<
  LedgerEntry,
  'key' | 'eventId' | 'template' | 'streamId' | 'eventVersion' | 'messageId'
>;
