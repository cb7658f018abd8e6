import { randomUUID } from 'node:crypto';
import type { Logger } from '@eventfold/observability';
import { DeadLetterReason, type DeadLetterSink } from '../deadLetters/deadLetter';
import { LedgerConflictError, type Ledger } from '../ledger/ledger';
import { retryDelayMs } from '../ledger/backoff';
import {
  accepted,
  committed,
  deadLettered,
  failed,
  nextStep,
  resolveUncertain,
  type DeliveryPolicy,
  type RelayAnswer,
  type Resolution,
} from '../ledger/ledgerDecision';
import { Confirmation, type LedgerEntry, type LedgerError, type LedgerSubject } from '../ledger/ledgerEntry';
import { composeMessage } from '../mail/composeMessage';
import { isPermanentSmtpFailure } from '../mail/mailErrors';
import type { RelayLookup } from '../mail/relayLookup';
import type { Sender } from '../mail/sender';
import type { MailSubmitter } from '../mail/submission';
import type { Notification } from '../notifications/notification';
import type { NotifierMetrics } from '../notifierMetrics';
import { renderEmail } from '../templates/templates';
import type { DeliveryControl } from './deliveryControl';

export interface NotificationDeliveryDeps {
  readonly ledger: Ledger;
  readonly submitter: MailSubmitter;
  readonly relay: RelayLookup;
  readonly deadLetters: DeadLetterSink;
  readonly metrics: NotifierMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly random: () => number;
  readonly policy: DeliveryPolicy;
  readonly mailFrom: Sender;
  /** Notifications of events older than this are not sent (a new notifier must not mail the whole history); 0: no limit. */
  readonly maxEventAgeMs: number;
}

/** Where the event came from, for the dead-letter record. */
export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type DeliveryResult = 'sent' | 'suppressed' | 'dead-lettered' | 'skipped';

/**
 * Delivers one notification exactly once in effect, driven by its ledger entry (`${eventId}:${template}`).
 *
 * The protocol, per attempt:
 *  1. Open an SMTP session and stream the message, but hold back its terminator.
 *  2. Commit point: record in the ledger that attempt n is in flight (acknowledged by MongoDB).
 *  3. Write the terminator; record the reply: `sent`, or a failure with the time of the next attempt.
 *
 * A crash before 2 leaves the relay with an incomplete message, which it discards: the next owner sends again.
 * A crash between 2 and the record of 3 leaves an entry "in flight": the relay may have accepted the message, and
 * nothing can tell from our side. Whoever meets such an entry never sends blindly: it waits until the attempt has
 * settled, then asks the relay's record (the {@link RelayLookup}); only if that cannot answer does the configured
 * policy decide (presume sent: at most once; or resend: at least once, the same Message-ID). A redelivered or
 * replayed event whose entry is `sent` (or `dead`) sends nothing and counts as a suppressed duplicate.
 */
export class NotificationDelivery {
  /**
   * Outcomes this process knows but may have failed to record (the ledger write failed), by ledger key: used
   * instead of asking the relay when the same process meets its own in-flight attempt again.
   */
  private readonly known = new Map<string, { readonly submissionId: string; readonly sent: boolean }>();

  constructor(private readonly deps: NotificationDeliveryDeps) {}

  async deliver(n: Notification, origin: RecordOrigin, control: DeliveryControl): Promise<DeliveryResult> {
    const { ledger, policy, clock, metrics } = this.deps;
    const subject: LedgerSubject = {
      key: n.key,
      eventId: n.source.eventId,
      template: n.template,
      streamId: n.source.streamId,
      eventVersion: n.source.version,
      messageId: n.messageId,
    };
    let entry = await ledger.find(n.key);
    let unavailable = 0;
    if (entry === null && this.isStale(n)) {
      metrics.skipped.inc({ template: n.template });
      return 'skipped';
    }
    for (;;) {
      try {
        const own = entry?.inFlight ? this.known.get(n.key) : undefined;
        const step =
          own && entry?.inFlight?.submissionId === own.submissionId
            ? ({
                kind: 'resolve',
                attempt: entry.inFlight.attempt,
                committedAt: entry.inFlight.committedAt,
              } as const)
            : nextStep(entry, clock(), policy);
        switch (step.kind) {
          case 'suppress':
            metrics.duplicatesSuppressed.inc({ template: n.template });
            return 'suppressed';
          case 'settle':
          case 'wait':
            await control.sleep(Math.max(0, step.until - clock()));
            entry = await ledger.find(n.key);
            continue;
          case 'dead-letter': {
            const error = entry?.lastError ?? {
              code: 'ATTEMPTS_EXHAUSTED',
              message: 'No attempt left',
              responseCode: null,
            };
            return await this.deadLetter(
              n,
              subject,
              entry,
              0,
              DeadLetterReason.AttemptsExhausted,
              error,
              origin,
            );
          }
          case 'resolve': {
            const resolved = await this.resolve(n, subject, entry!, step.attempt, step.committedAt);
            if (resolved.kind === 'sent') return 'sent';
            entry = resolved.entry;
            continue;
          }
          case 'send': {
            if (n.to === null) {
              const error = {
                code: 'RECIPIENT_UNKNOWN',
                message: 'No address known for this user',
                responseCode: null,
              };
              return await this.deadLetter(n, subject, entry, 0, DeadLetterReason.NoRecipient, error, origin);
            }
            const attempted = await this.attempt(n, n.to, subject, entry, step.attempt);
            if (attempted.kind === 'sent') return 'sent';
            if (attempted.kind === 'unavailable') {
              // The relay cannot be reached: wait for it, however long, without using up an attempt (an outage
              // must not dead-letter every email in flight). The partition waits with it.
              await control.sleep(retryDelayMs(++unavailable, policy, this.deps.random()));
              continue;
            }
            unavailable = 0;
            if (attempted.kind === 'permanent')
              return await this.deadLetter(
                n,
                subject,
                attempted.entry,
                step.attempt,
                DeadLetterReason.Permanent,
                attempted.error,
                origin,
              );
            entry = attempted.entry;
            continue;
          }
        }
      } catch (error) {
        if (!(error instanceof LedgerConflictError)) throw error;
        // Another writer (a zombie that lost this partition) moved the entry on: read it again, decide again.
        this.deps.logger.warn({ key: n.key }, 'ledger entry changed by another writer; deciding again');
        entry = await ledger.find(n.key);
      }
    }
  }

  private isStale(n: Notification): boolean {
    return this.deps.maxEventAgeMs > 0 && this.deps.clock() - n.source.occurredAt > this.deps.maxEventAgeMs;
  }

  /** One SMTP attempt with its commit point in the ledger. */
  private async attempt(
    n: Notification,
    to: string,
    subject: LedgerSubject,
    before: LedgerEntry | null,
    attempt: number,
  ): Promise<
    | { kind: 'sent' }
    | { kind: 'unavailable' }
    | { kind: 'permanent'; entry: LedgerEntry | null; error: LedgerError }
    | { kind: 'again'; entry: LedgerEntry }
  > {
    const { ledger, clock, metrics, logger, policy } = this.deps;
    const raw = await composeMessage({
      from: this.deps.mailFrom.header,
      to,
      messageId: n.messageId,
      date: new Date(clock()),
      rendered: renderEmail(n.template, n.vars as never),
      headers: { 'X-Eventfold-Event-Id': n.source.eventId, 'X-Eventfold-Template': n.template },
    });
    const submissionId = randomUUID();
    let inFlight: LedgerEntry | null = null;
    const started = clock();
    let outcome;
    try {
      outcome = await this.deps.submitter.submit({ from: this.deps.mailFrom.address, to, raw }, async () => {
        inFlight = await ledger.save(before, committed(before, subject, attempt, submissionId, clock()));
      });
    } catch (error) {
      // The commit point failed, so the terminator was never written: nothing was delivered. The write may
      // still have landed (a reply lost on the way back); if this process meets it again, it knows.
      if (!(error instanceof LedgerConflictError)) this.known.set(n.key, { submissionId, sent: false });
      throw error;
    }
    metrics.submitSeconds.observe({ outcome: outcome.kind }, (clock() - started) / 1000);
    const current: LedgerEntry | null = inFlight ?? before;
    const log = { key: n.key, eventId: n.source.eventId, template: n.template, attempt };
    switch (outcome.kind) {
      case 'accepted': {
        this.known.set(n.key, { submissionId, sent: true });
        await ledger.save(current, accepted(current!, attempt, clock(), Confirmation.SmtpReply));
        this.known.delete(n.key);
        metrics.sent.inc({ template: n.template });
        logger.debug(log, 'email sent');
        return { kind: 'sent' };
      }
      case 'unavailable':
        metrics.retried.inc({ template: n.template, reason: 'relay-unavailable' });
        logger.warn(
          { ...log, code: outcome.error.code, message: outcome.error.message },
          'relay unavailable; waiting for it',
        );
        return { kind: 'unavailable' };
      case 'rejected': {
        const { error } = outcome;
        if (isPermanentSmtpFailure(error)) {
          logger.warn(
            { ...log, code: error.code, responseCode: error.responseCode },
            'relay refused the email for good',
          );
          return { kind: 'permanent', entry: current, error };
        }
        const retryAt = clock() + retryDelayMs(attempt, policy, this.deps.random());
        const entry = await ledger.save(current, failed(current, subject, attempt, error, clock(), retryAt));
        if (attempt < policy.maxAttempts)
          metrics.retried.inc({ template: n.template, reason: retryReason(error) });
        logger.info(
          { ...log, code: error.code, responseCode: error.responseCode, retryInMs: retryAt - clock() },
          'email not accepted; will retry',
        );
        return { kind: 'again', entry };
      }
      case 'unknown':
        // The terminator went out and no reply came: the ledger says "in flight", settle it like after a crash.
        logger.warn({ ...log, code: outcome.error.code }, 'reply to a committed email was lost; settling it');
        return { kind: 'again', entry: inFlight! };
    }
  }

  /** Settles an in-flight attempt found in the ledger: from this process's memory, the relay's record, or policy. */
  private async resolve(
    n: Notification,
    subject: LedgerSubject,
    entry: LedgerEntry,
    attempt: number,
    committedAt: number,
  ): Promise<{ kind: 'sent' } | { kind: 'not-sent'; entry: LedgerEntry }> {
    const { ledger, clock, metrics, logger, relay, policy } = this.deps;
    const own = this.known.get(n.key);
    let resolution: Resolution;
    let label: string | null = null;
    if (own && own.submissionId === entry.inFlight?.submissionId) {
      resolution = own.sent ? { kind: 'sent', by: Confirmation.SmtpReply } : { kind: 'not-sent' };
    } else {
      const answer: RelayAnswer = await relay.lookup(n.messageId, committedAt);
      resolution = resolveUncertain(answer, policy.uncertain);
      label =
        answer === 'accepted'
          ? 'relay-accepted'
          : answer === 'missing'
            ? 'relay-missing'
            : resolution.kind === 'sent'
              ? 'presumed-sent'
              : 'resent';
      metrics.uncertain.inc({ template: n.template, resolution: label });
      logger.warn(
        {
          key: n.key,
          eventId: n.source.eventId,
          template: n.template,
          attempt,
          relay: relay.description,
          answer,
        },
        'settled an email whose reply was lost',
      );
    }
    if (resolution.kind === 'sent') {
      await ledger.save(entry, accepted(entry, attempt, clock(), resolution.by));
      this.known.delete(n.key);
      metrics.sent.inc({ template: n.template });
      return { kind: 'sent' };
    }
    const error: LedgerError = {
      code: 'UNCONFIRMED',
      message:
        label === 'resent'
          ? `the reply to attempt ${attempt} was lost and the relay cannot tell: sending again (MAIL_UNCERTAIN_DELIVERY=resend)`
          : `attempt ${attempt} was interrupted after its commit point and the relay did not accept it`,
      responseCode: null,
    };
    // Not delivered, and not the message's fault: the next attempt may start at once.
    const next = await ledger.save(entry, failed(entry, subject, attempt, error, clock(), clock()));
    this.known.delete(n.key);
    if (label !== null && attempt < policy.maxAttempts)
      metrics.retried.inc({ template: n.template, reason: 'unconfirmed' });
    return { kind: 'not-sent', entry: next };
  }

  private async deadLetter(
    n: Notification,
    subject: LedgerSubject,
    entry: LedgerEntry | null,
    attempts: number,
    reason: DeadLetterReason,
    error: LedgerError,
    origin: RecordOrigin,
  ): Promise<DeliveryResult> {
    const attemptsMade = Math.max(entry?.attempts ?? 0, attempts);
    const { ledger, clock, metrics, logger } = this.deps;
    // Publish first: a crash in between publishes again (the dead-letter topic is at least once), never loses it.
    await this.deps.deadLetters.publish({
      eventId: n.source.eventId,
      eventType: n.source.eventType,
      streamId: n.source.streamId,
      version: n.source.version,
      template: n.template,
      messageId: n.messageId,
      reason,
      attempts: attemptsMade,
      error,
      source: origin,
      deadLetteredAt: new Date(clock()).toISOString(),
    });
    await ledger.save(entry, deadLettered(entry, subject, attemptsMade, error, clock()));
    metrics.deadLettered.inc({ template: n.template, reason });
    logger.warn(
      { key: n.key, eventId: n.source.eventId, template: n.template, reason, code: error.code },
      'notification dead-lettered',
    );
    return 'dead-lettered';
  }
}

function retryReason(error: LedgerError): string {
  if (error.responseCode !== null) return 'smtp-4xx';
  return error.code === 'ETIMEDOUT' ? 'timeout' : 'connection';
}
