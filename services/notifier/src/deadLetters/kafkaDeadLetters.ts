import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterSink } from './deadLetter';

/** Publishes dead letters to the notifications DLQ through an idempotent producer (acks=all). */
export class KafkaDeadLetters implements DeadLetterSink {
  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  /** `groupId` is the group that gave up: `eventfold dlq redrive` replays it from the letter's source offset. */
  static async start(kafka: Kafka, topic: string, groupId: string): Promise<KafkaDeadLetters> {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return new KafkaDeadLetters(producer, topic, groupId);
  }

  async publish(letter: DeadLetter): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: letter.streamId ?? `${letter.source.topic}:${letter.source.partition}:${letter.source.offset}`,
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
    });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
