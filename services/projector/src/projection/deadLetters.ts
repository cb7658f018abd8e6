import type { EventLog, LogRecord } from '@eventfold/core';

export interface DeadLetter {
  readonly message: LogRecord;
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
  constructor(
    private readonly log: EventLog,
    private readonly dlqTopic: string,
    private readonly groupId: string,
  ) {}

  async send({ message, topic, partition, error, attempts }: DeadLetter): Promise<void> {
    const headers: Record<string, string> = {
      ...textHeaders(message),
      'dlq-source-topic': topic,
      'dlq-source-partition': String(partition),
      'dlq-source-offset': message.offset,
      'dlq-consumer-group': this.groupId,
      'dlq-error-code': error.code ?? error.name,
      'dlq-error-message': error.message.slice(0, 1000),
      'dlq-attempts': String(attempts),
      'dlq-at': new Date().toISOString(),
    };
    await this.log.append([
      { topic: this.dlqTopic, records: [{ key: message.key, value: message.value, headers }] },
    ]);
  }
}

/** The original headers as text (ours are all UTF-8 strings). */
function textHeaders(message: LogRecord): Record<string, string> {
  return Object.fromEntries(
    Object.entries(message.headers ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, String(Array.isArray(value) ? value[0] : value)]),
  );
}
