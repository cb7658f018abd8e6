import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { InfrastructureError } from '@eventfold/core';
import type { AvroCodec } from '@eventfold/avro';
import type { CommandResult } from '../processing/commandResult';
import type { IncomingCommand } from '../processing/decideBatch';
import { envelopeToRecord } from '../processing/wire';
import type { CommandResults } from './commandResults';

export type SendOutcome =
  { readonly status: 'completed'; readonly result: CommandResult } | { readonly status: 'accepted' };

/**
 * Sends commands to users.commands, keyed by stream id with the Java-compatible partitioner, through an idempotent
 * producer (acks=all), and waits (bounded) for their results.
 */
export class CommandBus {
  private readonly accepted = new Map<string, number>();

  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly codec: AvroCodec,
    private readonly results: CommandResults,
    private readonly storeTimeoutMs: number,
  ) {}

  static async start(o: {
    kafka: Kafka;
    topic: string;
    codec: AvroCodec;
    results: CommandResults;
    /** Longest wait for Kafka to acknowledge a command before answering 503 (retry with the same key). */
    storeTimeoutMs: number;
  }): Promise<CommandBus> {
    const producer = o.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 3, maxRetryTime: 2000 },
    });
    await producer.connect();
    return new CommandBus(producer, o.topic, o.codec, o.results, o.storeTimeoutMs);
  }

  /** Sends a command; with `waitMs` > 0 waits that long for its result, else answers `accepted` once it is stored. */
  async send(
    command: Omit<IncomingCommand, 'homePartition'>,
    waitMs: number,
    headers: Record<string, string>,
  ): Promise<SendOutcome> {
    const { commandId } = command.command.metadata;
    const waiter = waitMs > 0 ? this.results.waitFor(command.streamId, commandId, waitMs) : null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const stored = this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: [
          {
            key: command.streamId,
            value: this.codec.encode('eventfold.users.UserCommandEnvelope', envelopeToRecord(command)),
            headers,
          },
        ],
      });
      // While Kafka is down, kafkajs retries for a long time: answer 503 in bounded time instead. The command may
      // still be stored later; a retry with the same Idempotency-Key then finds it instead of running it twice.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Kafka did not acknowledge within ${this.storeTimeoutMs} ms`)),
          this.storeTimeoutMs,
        );
      });
      stored.catch(() => undefined);
      await Promise.race([stored, timeout]);
    } catch (error) {
      waiter?.cancel();
      throw new InfrastructureError(
        'COMMAND_LOG_UNAVAILABLE',
        'The command could not be stored: Kafka is unavailable; retry with the same Idempotency-Key',
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    this.accepted.set(commandId, Date.now());
    if (this.accepted.size > 50_000) this.accepted.delete(this.accepted.keys().next().value!);
    const result = waiter ? await waiter.result : null;
    return result ? { status: 'completed', result } : { status: 'accepted' };
  }

  /** What this instance knows of a command: its result, that it accepted it, or nothing. */
  status(commandId: string): CommandResult | 'accepted' | null {
    return this.results.find(commandId) ?? (this.accepted.has(commandId) ? 'accepted' : null);
  }

  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
