import type { LedgerError } from '../ledger/ledgerEntry';
import type { TemplateName } from '../templates/templates';

export const DeadLetterReason = Object.freeze({
  /** The relay answered 5xx: this message will never be accepted. */
  Permanent: 'permanent',
  /** Every allowed attempt failed transiently (4xx, timeouts, unconfirmed). */
  AttemptsExhausted: 'attempts-exhausted',
  /** The notifier does not know the user's address (it never saw an event carrying it). */
  NoRecipient: 'no-recipient',
  /** The event itself could not be decoded: no notification can be derived from it. */
  Undecodable: 'undecodable',
} as const);
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

/**
 * A record of `users.notifications.dlq` (JSON, key = stream id): which notification was given up and why. Ids,
 * codes and positions only: never an address or a name, so the topic needs no crypto-shredding.
 */
export interface DeadLetter {
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly streamId: string | null;
  readonly version: number | null;
  readonly template: TemplateName | null;
  readonly messageId: string | null;
  readonly reason: DeadLetterReason;
  readonly attempts: number;
  readonly error: LedgerError;
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  readonly deadLetteredAt: string;
}

/** Where given-up notifications go. Publishing is at least once: a crash right after it publishes again. */
export interface DeadLetterSink {
  publish(letter: DeadLetter): Promise<void>;
}
