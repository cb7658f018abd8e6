import { Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';

export interface DeadLetter {
  readonly message: KafkaMessage;
  readonly topic: string;
  readonly partition: number;
  readonly error: Error & { code?: string };
  readonly attempts: number;
}

/**
 * Writes records that cannot be projected to the dead-letter topic: original key, bytes and headers, plus where
 * they came from and why they failed. `eventfold dlq redrive` can put them back once the cause is fixed.
 */
export class DeadLetters {
  private constructor(
    private readonly producer: Producer,
    private readonly dlqTopic: string,
    private readonly groupId: string,
  ) {}

  static async start(kafka: Kafka, dlqTopic: string, groupId: string): Promise<DeadLetters> {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return new DeadLetters(producer, dlqTopic, groupId);
  }

  async send({ message, topic, partition, error, attempts }: DeadLetter): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'dlq-source-topic': topic,
      'dlq-source-partition': String(partition),
      'dlq-source-offset': message.offset,
      'dlq-consumer-group': this.groupId,
      'dlq-error-code': error.code ?? error.name,
      'dlq-error-message': error.message.slice(0, 1000),
      'dlq-attempts': String(attempts),
      'dlq-at': new Date().toISOString(),
    };
    await this.producer.send({
      topic: this.dlqTopic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
