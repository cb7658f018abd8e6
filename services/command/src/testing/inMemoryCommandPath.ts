import { partitionForKey } from '@eventfold/core';
import type { SendCommand } from '../emailClaims/claimEmail';
import type { EmailStreamOf } from '../emailClaims/emailStreamIds';
import type { CommandResult } from '../processing/commandResult';
import { decideBatch } from '../processing/decideBatch';
import type { IncomingCommand } from '../processing/streamCommands';
import type { RecordedStreamEvent } from '../processing/streamCommands';
import type { IdempotencyWindow, StreamRecord } from '../processing/streamRecord';

type Outgoing = Omit<IncomingCommand, 'homePartition'>;

/**
 * The command path without a log, for unit tests of the claim process: `send` stores a command (FIFO, as one
 * partition of users.commands keeps order), `decideNext` decides the oldest with the real `decideBatch` and queues
 * its follow-ups as the owner's transaction would append them. Tests choose when commands are decided, and can
 * drop what a crashed process had not sent yet.
 */
export class InMemoryCommandPath {
  readonly streams = new Map<string, StreamRecord>();
  readonly queue: Outgoing[] = [];
  readonly results = new Map<string, CommandResult>();
  /** Every event decided, in order, with the command that caused it. */
  readonly log: { readonly event: RecordedStreamEvent; readonly command: string }[] = [];
  /** Decide every stored command as `send` stores it (a command path that is up and quick); else the test does. */
  autoDecide = true;
  now: number;

  constructor(
    private readonly o: {
      readonly emailStreamOf: EmailStreamOf;
      readonly window: IdempotencyWindow;
      readonly partitions: number;
      readonly now: number;
    },
  ) {
    this.now = o.now;
  }

  private readonly waiting = new Map<string, (result: CommandResult) => void>();

  /** Stores the command; with `waitMs` > 0 answers its result once decided (at once with `autoDecide`). */
  readonly send: SendCommand = async (command, waitMs) => {
    const { commandId } = command.command.metadata;
    this.queue.push(command);
    if (waitMs === 0) return { status: 'accepted' };
    const result = new Promise<CommandResult>((resolve) => this.waiting.set(commandId, resolve));
    if (this.autoDecide) this.decideAll();
    return { status: 'completed', result: await result };
  };

  /** Decides the oldest stored command; false when none is left. */
  decideNext(): boolean {
    const next = this.queue.shift();
    if (!next) return false;
    const partition = partitionForKey(next.streamId, this.o.partitions);
    const decision = decideBatch(
      partition,
      this.streams,
      [{ ...next, homePartition: partition }],
      this.o.window,
      this.now,
      this.o.emailStreamOf,
    );
    for (const [streamId, record] of decision.streams) this.streams.set(streamId, record);
    for (const d of decision.decided) {
      this.results.set(d.result.commandId, d.result);
      for (const event of d.events) this.log.push({ event, command: d.incoming.command.type });
      this.waiting.get(d.result.commandId)?.(d.result);
      this.waiting.delete(d.result.commandId);
      this.queue.push(...d.followUps);
    }
    return true;
  }

  decideAll(): void {
    while (this.decideNext());
  }
}
