import type { LogRecord } from '@eventfold/core';
import { fromUserEventRecord, RecordDecodeError } from '@eventfold/avro';
import type { PersonalDataCodec } from '@eventfold/crypto';
import type { Logger } from '@eventfold/observability';
import { isEmailStreamId, type RecordedUserEvent } from '@eventfold/users-domain';
import { DeadLetterReason, type DeadLetterSink } from '../deadLetters/deadLetter';
import type { DeliveryControl } from '../delivery/deliveryControl';
import type { NotificationDelivery } from '../delivery/notificationDelivery';
import { notificationsFor } from '../notifications/notificationsFor';
import type { NotifierMetrics } from '../notifierMetrics';
import type { RecipientStore } from '../recipients/recipientProjection';

export interface EventProcessorDeps {
  readonly topic: string;
  /** Decodes and decrypts: a forgotten user's events come with their personal fields erased. */
  readonly codec: PersonalDataCodec;
  /** Drops a cached data key: called on UserForgotten, whoever deleted the key. */
  readonly evict: (streamId: string) => void;
  readonly recipients: RecipientStore;
  readonly delivery: NotificationDelivery;
  readonly deadLetters: DeadLetterSink;
  readonly metrics: NotifierMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
}

/**
 * One record of users.events, start to settled: decode, apply to the recipients projection, then deliver each
 * email the event calls for, in order. Returns once every notification is sent, suppressed or dead-lettered;
 * throws on infrastructure failures (the caller retries the record, which is safe: every step is idempotent).
 */
export function eventProcessor(deps: EventProcessorDeps) {
  const { topic, metrics, logger } = deps;
  return async (message: LogRecord, partition: number, control: DeliveryControl): Promise<void> => {
    // The reservation streams' events (decision 0016) share the topic and call for no email.
    if (isEmailStreamId(message.key?.toString())) return;
    const origin = { topic, partition, offset: message.offset };
    let event: RecordedUserEvent;
    try {
      const decoded = await deps.codec.decode(message.value, origin);
      event = fromUserEventRecord(decoded.record, decoded.value);
    } catch (error) {
      if (!(error instanceof RecordDecodeError)) throw error;
      // The same bytes will fail again: dead-letter the record and move on rather than stall the partition.
      logger.error(
        { err: error, partition, offset: message.offset },
        'skipping an event that cannot be decoded',
      );
      await deps.deadLetters.publish({
        eventId: headerValue(message, 'event-id'),
        eventType: headerValue(message, 'event-type'),
        streamId: message.key?.toString() ?? null,
        version: null,
        template: null,
        messageId: null,
        reason: DeadLetterReason.Undecodable,
        attempts: 0,
        error: { code: error.code, message: error.message, responseCode: null },
        source: origin,
        deadLetteredAt: new Date(deps.clock()).toISOString(),
      });
      metrics.undecodable.inc();
      return;
    }
    metrics.eventsRead.inc({ type: event.type });
    if (event.type === 'UserForgotten') deps.evict(event.metadata.streamId);
    const { recipient, outcome } = await deps.recipients.apply(event, deps.clock());
    if (outcome === 'gap') {
      metrics.recipientGaps.inc();
      logger.warn(
        { streamId: event.metadata.streamId, version: event.metadata.version },
        'event applied after a gap in its stream: earlier versions were never seen',
      );
    }
    for (const notification of notificationsFor(event, recipient))
      await deps.delivery.deliver(notification, origin, control);
  };
}

function headerValue(message: LogRecord, name: string): string | null {
  const value = message.headers?.[name];
  if (value === undefined) return null;
  return String(Array.isArray(value) ? value[0] : value);
}
