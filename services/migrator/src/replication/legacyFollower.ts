import type pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { Logger } from '@eventfold/observability';
import { Acknowledgements } from '../acknowledgement/acknowledgements';
import { commandsOfChange, UnmappableChange } from '../changes/commandsOfChange';
import { legacyUserRow, type RowChange } from '../changes/legacyChange';
import { applyCommand } from '../commands/applyCommand';
import type { CommandClient } from '../commands/commandClient';
import type { UserImports } from '../commands/userImports';
import { recordRejected } from '../deadLetters/rejectedChanges';
import type { ReplicationNames } from './replicationSetup';

export interface FollowerDeps {
  readonly db: pg.Pool;
  readonly replicationConnection: pg.ClientConfig;
  readonly names: ReplicationNames;
  /** Names the legacy database in keys and dead letters (`legacy`). */
  readonly source: string;
  readonly commands: CommandClient;
  readonly imports: UserImports;
  readonly logger: Logger;
  /** Told about each settled change and command answer: metrics. */
  readonly onApplied: (outcome: 'applied' | 'rejected') => void;
  /** A failure the follower cannot get past: the process exits and a restart resumes at the acknowledged position. */
  readonly onFatal: (error: unknown) => void;
  /** How often the acknowledged position is sent even without news (PostgreSQL's wal_sender_timeout is 60 s). */
  readonly statusIntervalMs: number;
}

interface OpenTransaction {
  readonly changes: RowChange[];
}

/**
 * Follows the legacy table through a `pgoutput` slot and sends each committed change as its commands, a
 * transaction at a time and in commit order (so per row too). The position acknowledged to PostgreSQL is the end
 * of the last transaction whose every command has its final answer (docs/decisions/0021-change-capture-from-the-
 * legacy-log.md); the library's own acknowledgement, which would confirm what was merely received, is off.
 */
export class LegacyFollower {
  readonly acknowledgements = new Acknowledgements();
  private readonly service: LogicalReplicationService;
  private open: OpenTransaction | null = null;
  private broken = false;
  private streaming = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: FollowerDeps) {
    this.service = new LogicalReplicationService(deps.replicationConnection, {
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: true },
    });
    this.service.on('data', (_lsn: string, message: Pgoutput.Message) => this.onMessage(message));
    this.service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) => {
      if (this.idle()) this.acknowledgements.idleAt(lsn);
      if (shouldRespond || this.idle()) void this.sendPosition();
    });
    // Before the stream has started, a failure is start()'s (retried by the service's start-up), not fatal.
    this.service.on('error', (error: Error) => {
      if (this.streaming) this.fail(error);
    });
  }

  /** Starts streaming from the slot's acknowledged position; resolves once the stream has started. */
  async start(): Promise<void> {
    const started = new Promise<void>((resolve) =>
      this.service.once('start', () => {
        this.streaming = true;
        resolve();
      }),
    );
    const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [this.deps.names.publication] });
    this.running = this.service.subscribe(plugin, this.deps.names.slot).then(
      () => this.fail(new Error('The legacy database ended the replication stream')),
      (error: unknown) => {
        if (!this.streaming) throw error;
        this.fail(error);
      },
    );
    await Promise.race([started, this.running]);
    this.timer = setInterval(() => void this.sendPosition(true), this.deps.statusIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.service.stop();
  }

  private fail(error: unknown): void {
    if (this.broken || this.stopped) return;
    this.broken = true; // never acknowledge again: what follows the failure is not settled
    this.deps.onFatal(error);
  }

  /**
   * Nothing received is unsettled: no transaction open, none waiting, and the library's queue (pg-logical-replication
   * 2.5.0, pinned: flowControl queues data, heartbeats skip the queue) empty. A keepalive then says that everything
   * the server sent before it is settled, so its position may be acknowledged: without that, the WAL of transactions
   * that touch no followed table (pgoutput skips them) would count as lag for ever.
   */
  private idle(): boolean {
    const library = this.service as unknown as { _messageQueue?: unknown[]; _processing?: boolean };
    return (
      this.open === null &&
      this.acknowledgements.oldestWaiting() === null &&
      Array.isArray(library._messageQueue) &&
      library._messageQueue.length === 0 &&
      library._processing === false
    );
  }

  /** Sends the acknowledged position; `ping` asks the server for a keepalive back (its current position). */
  private async sendPosition(ping = false): Promise<void> {
    const position = this.acknowledgements.position();
    if (this.broken || this.stopped) return;
    await this.service.acknowledge(position ?? '0/0', ping).catch((error: unknown) => this.fail(error));
  }

  private async onMessage(message: Pgoutput.Message): Promise<void> {
    if (this.broken || this.stopped) return;
    try {
      switch (message.tag) {
        case 'begin':
          this.open = { changes: [] };
          return;
        case 'insert':
        case 'update':
        case 'delete': {
          if (message.relation.name !== this.deps.names.table) return;
          this.open?.changes.push(rowChangeOf(message));
          return;
        }
        case 'commit': {
          const transaction = this.open ?? { changes: [] };
          this.open = null;
          const endLsn = message.commitEndLsn!;
          this.acknowledgements.received(endLsn, Number(BigInt(String(message.commitTime)) / 1000n));
          await this.settle(transaction, message.commitLsn ?? endLsn);
          this.acknowledgements.settled(endLsn);
          await this.sendPosition();
          return;
        }
        default:
          return;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private async settle(transaction: OpenTransaction, commitLsn: string): Promise<void> {
    const { source } = this.deps;
    for (const [seq, change] of transaction.changes.entries()) {
      const at = { commitLsn, seq };
      const row = change.kind === 'delete' ? change.old : change.row;
      let commands;
      try {
        commands = commandsOfChange(change, at, source);
      } catch (error) {
        if (!(error instanceof UnmappableChange)) throw error;
        await recordRejected(this.deps.db, {
          key: `mig:${source}:${commitLsn.replace('/', '-')}:${seq}`,
          source,
          legacyId: row?.id ?? null,
          change: { kind: change.kind },
          row,
          code: error.code,
          reason: error.message,
        });
        this.deps.onApplied('rejected');
        continue;
      }
      for (const keyed of commands) {
        if (this.stopped) throw new Error('The follower stopped before the transaction was settled');
        const answer = await applyCommand(keyed, this.deps.commands, this.deps.imports);
        if (answer.outcome === 'rejected') {
          await recordRejected(this.deps.db, {
            key: keyed.key,
            source,
            legacyId: keyed.command.legacyId,
            change: keyed.command,
            row,
            code: answer.code,
            reason: answer.reason,
          });
          this.deps.logger.warn(
            { key: keyed.key, code: answer.code },
            'legacy change refused; dead-lettered',
          );
        }
        this.deps.onApplied(answer.outcome);
      }
    }
  }
}

function rowChangeOf(
  message: Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete,
): RowChange {
  switch (message.tag) {
    case 'insert':
      return { kind: 'insert', row: legacyUserRow(message.new)! };
    case 'update':
      return { kind: 'update', old: legacyUserRow(message.old), row: legacyUserRow(message.new)! };
    case 'delete':
      return { kind: 'delete', old: legacyUserRow(message.old ?? message.key) };
  }
}
