import type { RetryPolicy } from './backoff';
import {
  Confirmation,
  LedgerStatus,
  type LedgerEntry,
  type LedgerError,
  type LedgerSubject,
} from './ledgerEntry';

/**
 * What to do when a relay cannot tell whether it accepted a message whose reply was lost: presume it did (at
 * most once: a rare loss, never a duplicate) or send again (at least once: a rare duplicate, which receivers that
 * honour the deterministic Message-ID discard).
 */
export const UncertainDelivery = Object.freeze({ AssumeSent: 'assume-sent', Resend: 'resend' } as const);
export type UncertainDelivery = (typeof UncertainDelivery)[keyof typeof UncertainDelivery];

export interface DeliveryPolicy extends RetryPolicy {
  /** How long after a lost reply the relay's record is trusted to be complete (it may still be storing). */
  readonly settleMs: number;
  readonly uncertain: UncertainDelivery;
}

/** The next step for one notification, decided from its ledger entry alone. */
export type NextStep =
  | { readonly kind: 'suppress'; readonly status: 'sent' | 'dead' }
  | { readonly kind: 'settle'; readonly until: number }
  | { readonly kind: 'resolve'; readonly attempt: number; readonly committedAt: number }
  | { readonly kind: 'wait'; readonly until: number }
  | { readonly kind: 'send'; readonly attempt: number }
  | { readonly kind: 'dead-letter' };

export function nextStep(entry: LedgerEntry | null, now: number, policy: DeliveryPolicy): NextStep {
  if (entry === null) return { kind: 'send', attempt: 1 };
  if (entry.status === LedgerStatus.Sent) return { kind: 'suppress', status: 'sent' };
  if (entry.status === LedgerStatus.Dead) return { kind: 'suppress', status: 'dead' };
  if (entry.inFlight !== null) {
    // An attempt reached its commit point and nobody recorded the reply: it may have been accepted. Never send
    // again before that is settled, or the same email could arrive twice.
    const until = entry.inFlight.committedAt + policy.settleMs;
    if (now < until) return { kind: 'settle', until };
    return { kind: 'resolve', attempt: entry.inFlight.attempt, committedAt: entry.inFlight.committedAt };
  }
  if (entry.attempts >= policy.maxAttempts) return { kind: 'dead-letter' };
  if (entry.nextAttemptAt !== null && now < entry.nextAttemptAt)
    return { kind: 'wait', until: entry.nextAttemptAt };
  return { kind: 'send', attempt: entry.attempts + 1 };
}

/** What the relay's record says of a message whose reply was lost. */
export type RelayAnswer = 'accepted' | 'missing' | 'unknown';

export type Resolution = { readonly kind: 'sent'; readonly by: Confirmation } | { readonly kind: 'not-sent' };

/** Settles an attempt whose reply was lost: from the relay's record where it has one, else by policy. */
export function resolveUncertain(answer: RelayAnswer, policy: UncertainDelivery): Resolution {
  if (answer === 'accepted') return { kind: 'sent', by: Confirmation.RelayLookup };
  if (answer === 'missing') return { kind: 'not-sent' };
  return policy === UncertainDelivery.AssumeSent
    ? { kind: 'sent', by: Confirmation.Presumed }
    : { kind: 'not-sent' };
}

const fresh = (subject: LedgerSubject, now: number): LedgerEntry => ({
  ...subject,
  status: LedgerStatus.Pending,
  attempts: 0,
  inFlight: null,
  nextAttemptAt: null,
  lastError: null,
  confirmedBy: null,
  createdAt: now,
  updatedAt: now,
  sentAt: null,
  deadLetteredAt: null,
  revision: 0,
});

const touch = (entry: LedgerEntry, now: number, changes: Partial<LedgerEntry>): LedgerEntry => ({
  ...entry,
  ...changes,
  updatedAt: now,
  revision: entry.revision + 1,
});

/** Attempt `attempt` is about to write the message terminator: from here on its outcome may be "accepted". */
export function committed(
  entry: LedgerEntry | null,
  subject: LedgerSubject,
  attempt: number,
  submissionId: string,
  now: number,
): LedgerEntry {
  return touch(entry ?? fresh(subject, now), now, {
    attempts: attempt,
    inFlight: { attempt, committedAt: now, submissionId },
  });
}

/** The relay accepted attempt `attempt` (or is presumed to have). Terminal. */
export function accepted(entry: LedgerEntry, attempt: number, now: number, by: Confirmation): LedgerEntry {
  return touch(entry, now, {
    status: LedgerStatus.Sent,
    attempts: Math.max(entry.attempts, attempt),
    inFlight: null,
    nextAttemptAt: null,
    confirmedBy: by,
    sentAt: now,
  });
}

/** Attempt `attempt` did not deliver the message; the next may start at `retryAt`. */
export function failed(
  entry: LedgerEntry | null,
  subject: LedgerSubject,
  attempt: number,
  error: LedgerError,
  now: number,
  retryAt: number,
): LedgerEntry {
  return touch(entry ?? fresh(subject, now), now, {
    attempts: Math.max(entry?.attempts ?? 0, attempt),
    inFlight: null,
    nextAttemptAt: retryAt,
    lastError: error,
  });
}

/** Given up and dead-lettered. Terminal. */
export function deadLettered(
  entry: LedgerEntry | null,
  subject: LedgerSubject,
  attempts: number,
  error: LedgerError,
  now: number,
): LedgerEntry {
  return touch(entry ?? fresh(subject, now), now, {
    status: LedgerStatus.Dead,
    attempts: Math.max(entry?.attempts ?? 0, attempts),
    inFlight: null,
    nextAttemptAt: null,
    lastError: error,
    deadLetteredAt: now,
  });
}
