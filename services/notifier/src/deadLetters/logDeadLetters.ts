import type { EventLog } from '@eventfold/core';
import type { DeadLetter, DeadLetterSink } from './deadLetter';

/** Publishes dead letters to the notifications DLQ topic of the event log (durably: acks=all on Kafka). */
export class LogDeadLetters implements DeadLetterSink {
  /** `groupId` is the group that gave up: `eventfold dlq redrive` replays it from the letter's source offset. */
  constructor(
    private readonly log: EventLog,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  async publish(letter: DeadLetter): Promise<void> {
    await this.log.append([
      {
        topic: this.topic,
        records: [
          {
            key:
              letter.streamId ?? `${letter.source.topic}:${letter.source.partition}:${letter.source.offset}`,
            value: JSON.stringify(letter),
            headers: {
              'content-type': 'application/json',
              reason: letter.reason,
              'dlq-consumer-group': this.groupId,
              ...(letter.eventId ? { 'event-id': letter.eventId } : {}),
              ...(letter.template ? { template: letter.template } : {}),
            },
          },
        ],
      },
    ]);
  }
}
