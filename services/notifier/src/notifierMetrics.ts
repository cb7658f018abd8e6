import { Counter, Histogram, type Registry } from '@eventfold/observability';

/** The notifier's metrics; per template wherever an email is concerned. */
export function notifierMetrics(registry: Registry) {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    eventsRead: counter('eventfold_notifier_events_total', 'Events read from users.events, by type', [
      'type',
    ]),
    undecodable: counter(
      'eventfold_notifier_undecodable_events_total',
      'Records of users.events that could not be decoded (dead-lettered)',
      [],
    ),
    sent: counter(
      'eventfold_notifier_emails_sent_total',
      'Emails the relay accepted (or, its reply lost, is known or presumed to have accepted), by template',
      ['template'],
    ),
    retried: counter(
      'eventfold_notifier_emails_retried_total',
      'Failed attempts that will be retried, by template and reason (smtp-4xx, timeout, connection, unconfirmed, relay-unavailable)',
      ['template', 'reason'],
    ),
    deadLettered: counter(
      'eventfold_notifier_emails_dead_lettered_total',
      'Notifications given up and sent to the dead-letter topic, by template and reason',
      ['template', 'reason'],
    ),
    duplicatesSuppressed: counter(
      'eventfold_notifier_duplicates_suppressed_total',
      'Notifications of redelivered or replayed events that were already sent (or dead-lettered): nothing sent',
      ['template'],
    ),
    uncertain: counter(
      'eventfold_notifier_uncertain_deliveries_total',
      'Attempts whose reply was lost after the message was committed, by how they were settled (relay-accepted, relay-missing, presumed-sent, resent)',
      ['template', 'resolution'],
    ),
    skipped: counter(
      'eventfold_notifier_notifications_skipped_total',
      'Notifications not sent because their event is older than MAIL_MAX_EVENT_AGE_MS, by template',
      ['template'],
    ),
    recipientGaps: counter(
      'eventfold_notifier_recipient_gaps_total',
      'Events applied to the recipients projection after missing versions of their stream',
      [],
    ),
    submitSeconds: new Histogram({
      name: 'eventfold_notifier_smtp_submit_seconds',
      help: 'Time of one SMTP submission (connect to reply), by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export type NotifierMetrics = ReturnType<typeof notifierMetrics>;
