import { IllegalStateError, InfrastructureError, withDeadline, type EventLog } from '@eventfold/core';
import { DataKeyForgottenError, PII_KEY_ID_HEADER, type PersonalDataCodec } from '@eventfold/crypto';
import { UserErrorCode } from '@eventfold/users-domain';
import type { CommandResult } from '../processing/commandResult';
import type { IncomingCommand } from '../processing/streamCommands';
import { envelopeToRecord } from '../processing/wire';
import type { CommandResults } from './commandResults';

export type SendOutcome =
  { readonly status: 'completed'; readonly result: CommandResult } | { readonly status: 'accepted' };

/**
 * Appends commands to users.commands, keyed by stream id (the log places them with the Java-compatible
 * partitioner, durably: acks=all on Kafka), and waits (bounded) for their results.
 */
export class CommandBus {
  private readonly accepted = new Map<string, number>();
  private readonly log: EventLog;
  private readonly topic: string;
  private readonly codec: PersonalDataCodec;
  private readonly results: CommandResults;
  private readonly storeTimeoutMs: number;

  constructor(options: {
    log: EventLog;
    topic: string;
    codec: PersonalDataCodec;
    results: CommandResults;
    /** Longest wait for the log to acknowledge a command before answering 503 (retry with the same key). */
    storeTimeoutMs: number;
  }) {
    this.log = options.log;
    this.topic = options.topic;
    this.codec = options.codec;
    this.results = options.results;
    this.storeTimeoutMs = options.storeTimeoutMs;
  }

  /** Sends a command; with `waitMs` > 0 waits that long for its result, else answers `accepted` once it is stored. */
  async send(
    command: Omit<IncomingCommand, 'homePartition'>,
    waitMs: number,
    headers: Record<string, string>,
  ): Promise<SendOutcome> {
    const { commandId } = command.command.metadata;
    const encoded = await this.encode(command);
    const waiter =
      waitMs > 0
        ? this.results.waitFor(
            { streamId: command.streamId, commandId, commandType: command.command.type },
            waitMs,
          )
        : null;
    try {
      // While Kafka is down, kafkajs retries for a long time: answer 503 in bounded time instead. The command may
      // still be stored later; a retry with the same Idempotency-Key then finds it instead of running it twice.
      await withDeadline(
        this.log.append([
          {
            topic: this.topic,
            records: [
              {
                key: command.streamId,
                value: encoded.bytes,
                headers: encoded.keyId ? { ...headers, [PII_KEY_ID_HEADER]: encoded.keyId } : headers,
              },
            ],
          },
        ]),
        this.storeTimeoutMs,
        'The event log acknowledging the command',
      );
    } catch (error) {
      waiter?.cancel();
      throw new InfrastructureError(
        'COMMAND_LOG_UNAVAILABLE',
        'The command could not be stored: the event log is unavailable; retry with the same Idempotency-Key',
        { cause: error },
      );
    }
    this.accepted.set(commandId, Date.now());
    if (this.accepted.size > 50_000) this.accepted.delete(this.accepted.keys().next().value!);
    const result = waiter ? await waiter.result : null;
    return result ? { status: 'completed', result } : { status: 'accepted' };
  }

  /**
   * Encrypts the command's personal fields (registration creates the user's key). A forgotten user has no key and
   * gets none: the command is refused here as the domain would refuse it (422, USER_FORGOTTEN).
   */
  private async encode(command: Omit<IncomingCommand, 'homePartition'>) {
    try {
      return await this.codec.encode('eventfold.users.UserCommandEnvelope', envelopeToRecord(command));
    } catch (error) {
      if (!(error instanceof DataKeyForgottenError)) throw error;
      throw new IllegalStateError(UserErrorCode.Forgotten, 'User was forgotten: it holds no personal data', {
        cause: error,
      });
    }
  }

  /** What this instance knows of a command: its result, that it accepted it, or nothing. */
  status(commandId: string): CommandResult | 'accepted' | null {
    return this.results.find(commandId) ?? (this.accepted.has(commandId) ? 'accepted' : null);
  }

  /** Nothing of its own to release: the log belongs to whoever created it. */
  async stop(): Promise<void> {}
}
