import { randomUUID } from 'node:crypto';
import type { EventLog, GroupConsumer } from '@eventfold/core';
import type { PersonalDataCodec } from '@eventfold/crypto';
import type { Logger } from '@eventfold/observability';
import type { CommandResult } from '../processing/commandResult';
import { resultFromRecord } from '../processing/wire';

/**
 * What a waiting request listens for: its stream, its command id and its command's type. One command id can answer
 * two requests (a caller reusing its Idempotency-Key for another request is refused under the same id), and a
 * result is delivered twice (by the owner at its commit, and read back from the topic later): a late read-back of
 * a rename's result must not answer the forget that reused its key, nor the forget's refusal the rename's retry.
 */
const key = (streamId: string, commandId: string, commandType: string) =>
  `${streamId}\u0000${commandId}\u0000${commandType}`;

/**
 * Every instance reads every command result (a consumer group of its own, from the end, committing nothing), so that
 * whichever instance took a request hears its outcome. Recent results stay in a bounded map for status queries.
 */
/** A result as a value: the one the owner handed over and the same one read back from the topic are equal. */
const identity = (r: CommandResult) =>
  JSON.stringify([
    r.streamId,
    r.commandId,
    r.commandType,
    r.outcome,
    r.version,
    r.completedAt,
    r.error?.code,
  ]);

export class CommandResults {
  private readonly recent = new Map<string, CommandResult>();
  /** Results this instance's owner handed over, each until it is read back from the topic (bounded like recent). */
  private readonly handedOver = new Map<string, number>();
  private readonly waiters = new Map<string, Set<(result: CommandResult) => void>>();
  private consumer: GroupConsumer | null = null;

  private constructor(private readonly maxRecent: number) {}

  static async start(options: {
    log: EventLog;
    topic: string;
    codec: PersonalDataCodec;
    logger: Logger;
    groupPrefix: string;
    maxRecent?: number;
  }): Promise<CommandResults> {
    const results = new CommandResults(options.maxRecent ?? 50_000);
    results.consumer = await options.log.consume({
      groupId: `${options.groupPrefix}-${randomUUID()}`,
      topic: options.topic,
      fromBeginning: false,
      committing: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async (batch) => {
        // One key-store call for the batch; a key it could not fetch is looked up again by its record's decode.
        await options.codec.prefetchKeys(batch.records).catch(() => undefined);
        for (const message of batch.records) {
          try {
            const { value } = await options.codec.decode(message.value, {
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
            });
            results.readBack(resultFromRecord(value));
          } catch (error) {
            options.logger.warn(
              { err: error, partition: batch.partition, offset: message.offset },
              'skipping an undecodable command result',
            );
          }
        }
      },
    });
    return results;
  }

  get ready(): boolean {
    return this.consumer?.joined ?? false;
  }

  /** The latest result seen for a command id, if still remembered. */
  find(commandId: string): CommandResult | undefined {
    return this.recent.get(commandId);
  }

  /** Resolves with the command's result, or null after `timeoutMs`. Register before sending the command. */
  waitFor(
    command: { readonly streamId: string; readonly commandId: string; readonly commandType: string },
    timeoutMs: number,
  ): { result: Promise<CommandResult | null>; cancel: () => void } {
    const k = key(command.streamId, command.commandId, command.commandType);
    let settle: (result: CommandResult | null) => void = () => undefined;
    const result = new Promise<CommandResult | null>((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      settle = (r) => {
        clearTimeout(timer);
        this.waiters.get(k)?.delete(listener);
        if (this.waiters.get(k)?.size === 0) this.waiters.delete(k);
        resolve(r);
      };
      const listener = (r: CommandResult) => settle(r);
      this.waiters.set(k, (this.waiters.get(k) ?? new Set()).add(listener));
    });
    return { result, cancel: () => settle(null) };
  }

  /**
   * A result this instance's own partition owner committed: delivered at once. The same result read back from the
   * topic later changes nothing: it answers no request, since a request sent meanwhile with the same command id (a
   * retry after the idempotency window, a key reused) waits for a decision of its own, not this one.
   */
  committed(results: readonly CommandResult[]): void {
    for (const result of results) {
      const id = identity(result);
      this.handedOver.delete(id);
      this.handedOver.set(id, (this.handedOver.get(id) ?? 0) + 1);
      if (this.handedOver.size > this.maxRecent) this.handedOver.delete(this.handedOver.keys().next().value!);
      this.deliver(result);
    }
  }

  private readBack(result: CommandResult): void {
    const id = identity(result);
    const pending = this.handedOver.get(id);
    if (pending === undefined) {
      this.deliver(result);
      return;
    }
    if (pending > 1) this.handedOver.set(id, pending - 1);
    else this.handedOver.delete(id);
  }

  private deliver(result: CommandResult): void {
    this.recent.delete(result.commandId);
    this.recent.set(result.commandId, result);
    if (this.recent.size > this.maxRecent) this.recent.delete(this.recent.keys().next().value!);
    const k = key(result.streamId, result.commandId, result.commandType);
    for (const listener of this.waiters.get(k) ?? []) listener(result);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}
