import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
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
 *
 * A producer whose send failed is replaced, never reused, and never has two sends going. kafkajs rolls a
 * partition's sequence number back when a send fails, even if the broker stored the batch and only the answer was
 * lost; the next batch then reuses that number, and the broker, taking it for a retry of the stored one,
 * acknowledges it without writing it: a command answered 202 and silently lost (seen through a TCP fault proxy
 * resetting connections). A new producer gets a new producer id, whose sequences start afresh.
 */
export class CommandBus {
  private readonly accepted = new Map<string, number>();
  private current: { readonly producer: Producer; readonly connected: Promise<void> };
  private readonly queued: { message: Message; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;
  private stopped = false;

  private constructor(
    first: Producer,
    private readonly newProducer: () => Producer,
    private readonly topic: string,
    private readonly codec: AvroCodec,
    private readonly results: CommandResults,
    private readonly storeTimeoutMs: number,
  ) {
    this.current = { producer: first, connected: Promise.resolve() };
  }

  static async start(o: {
    kafka: Kafka;
    topic: string;
    codec: AvroCodec;
    results: CommandResults;
    /** Longest wait for Kafka to acknowledge a command before answering 503 (retry with the same key). */
    storeTimeoutMs: number;
  }): Promise<CommandBus> {
    const newProducer = () =>
      o.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 5,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 3, maxRetryTime: 2000 },
      });
    const producer = newProducer();
    await producer.connect();
    return new CommandBus(producer, newProducer, o.topic, o.codec, o.results, o.storeTimeoutMs);
  }

  /** Sends a command; with `waitMs` > 0 waits that long for its result, else answers `accepted` once it is stored. */
  async send(
    command: Omit<IncomingCommand, 'homePartition'>,
    waitMs: number,
    headers: Record<string, string>,
  ): Promise<SendOutcome> {
    const { commandId } = command.command.metadata;
    const waiter = waitMs > 0 ? this.results.waitFor(command.streamId, commandId, waitMs) : null;
    try {
      await this.store({
        key: command.streamId,
        value: this.codec.encode('eventfold.users.UserCommandEnvelope', envelopeToRecord(command)),
        headers,
      });
    } catch (error) {
      waiter?.cancel();
      throw new InfrastructureError(
        'COMMAND_LOG_UNAVAILABLE',
        'The command could not be stored: Kafka is unavailable; retry with the same Idempotency-Key',
        { cause: error },
      );
    }
    this.accepted.set(commandId, Date.now());
    if (this.accepted.size > 50_000) this.accepted.delete(this.accepted.keys().next().value!);
    const result = waiter ? await waiter.result : null;
    return result ? { status: 'completed', result } : { status: 'accepted' };
  }

  /** Queues a record; it is stored with whatever else is queued, in one produce request. */
  private store(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ message, resolve, reject });
      void this.flush();
    });
  }

  /**
   * One send at a time per producer: what queued meanwhile goes in the next send, as one batch (fewer round trips
   * under load). A send that fails, or that Kafka does not acknowledge within storeTimeoutMs (while Kafka is down
   * kafkajs retries for a long time), fails its batch (503) and retires its producer. The batch may still be
   * stored later; a retry with the same Idempotency-Key then finds it instead of running it twice.
   */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queued.length > 0) {
        const batch = this.queued.splice(0, 500);
        const { producer, connected } = this.current;
        let timer: NodeJS.Timeout | undefined;
        try {
          const stored = connected.then(() =>
            producer.send({ topic: this.topic, acks: -1, messages: batch.map((b) => b.message) }),
          );
          stored.catch(() => undefined);
          await Promise.race([
            stored,
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`Kafka did not acknowledge within ${this.storeTimeoutMs} ms`)),
                this.storeTimeoutMs,
              );
            }),
          ]);
          for (const b of batch) b.resolve();
        } catch (error) {
          this.replace(producer);
          for (const b of batch) b.reject(error);
        } finally {
          clearTimeout(timer);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Swaps in a fresh producer, once per failed one; the failed one is let go. */
  private replace(failed: Producer): void {
    if (this.current.producer !== failed || this.stopped) return;
    const producer = this.newProducer();
    const connected = producer.connect();
    connected.catch(() => undefined); // a send through it fails, and replaces it in turn
    this.current = { producer, connected };
    void failed.disconnect().catch(() => undefined);
  }

  /** What this instance knows of a command: its result, that it accepted it, or nothing. */
  status(commandId: string): CommandResult | 'accepted' | null {
    return this.results.find(commandId) ?? (this.accepted.has(commandId) ? 'accepted' : null);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.current.producer.disconnect().catch(() => undefined);
  }
}
