import pg from 'pg';
import { serviceContext, type Own, type ServiceDeps, type StartedService } from '@eventfold/http';
import { CommandClient } from './commands/commandClient';
import { CommandImports, type UserImports } from './commands/userImports';
import type { MigratorConfig } from './config';
import { migratorMetrics } from './migratorMetrics';
import { LegacyFollower } from './replication/legacyFollower';
import { prepareReplication, slotLagBytes } from './replication/replicationSetup';

export interface MigratorDeps extends ServiceDeps {
  readonly clock: () => number;
  /** The import port; by default phase 0's import route of the command service (see userImports.ts). */
  readonly imports?: (commands: CommandClient) => UserImports;
}

export interface MigratorParts {
  readonly db: pg.Pool;
  readonly follower: LegacyFollower;
}

export type RunningMigratorService = StartedService<MigratorParts>;

/**
 * The migrator (issue 20, phase 1): follows the legacy table's committed changes through a logical replication
 * slot and sends each as its command to the command service; one instance per slot (a second one's START_REPLICATION
 * fails while the first holds the slot, and it retries until the first is gone). Serves /healthz, /readyz, /metrics.
 */
export async function startMigratorService(
  config: MigratorConfig,
  deps: MigratorDeps,
): Promise<RunningMigratorService> {
  let current: MigratorParts | null = null;
  let stopping = false;
  const { logger, metrics, startService } = serviceContext(deps, 'migrator', (registry) =>
    migratorMetrics(registry, {
      bytes: async () => (current ? slotLagBytes(current.db, config.slot) : null),
      seconds: () => {
        const oldest = current?.follower.acknowledgements.oldestWaiting() ?? null;
        return oldest === null ? 0 : Math.max(deps.clock() - oldest, 0) / 1000;
      },
    }),
  );
  const names = { table: config.table, publication: config.publication, slot: config.slot };

  const connect = async (own: Own): Promise<MigratorParts> => {
    const db = new pg.Pool({ connectionString: config.legacyUrl, max: 3 });
    own('the legacy database pool', () => db.end());
    await prepareReplication(db, names);
    const commands = new CommandClient({
      commandUrl: config.commandUrl,
      actor: `migrator:${config.source}`,
      internalToken: config.internalToken,
      retryPolicy: { initialDelayMs: 100, maxDelayMs: 5000 },
      isStopped: () => stopping,
      onRetry: (error, attempt) =>
        logger.warn({ err: error, attempt }, 'command not final yet; sending again'),
    });
    const imports = (deps.imports ?? ((c) => new CommandImports(c, config.table)))(commands);
    const follower = new LegacyFollower({
      db,
      replicationConnection: {
        connectionString: config.legacyUrl,
        replication: 'database',
      } as pg.ClientConfig,
      names,
      source: config.source,
      commands,
      imports,
      logger,
      onApplied: (outcome) => metrics.commands.inc({ outcome }),
      onFatal: deps.onFatal,
      statusIntervalMs: config.statusIntervalMs,
    });
    own('the replication stream', async () => {
      stopping = true;
      await follower.stop();
    });
    await follower.start();
    logger.info({ slot: config.slot, publication: config.publication }, 'following the legacy table');
    current = { db, follower };
    return current;
  };

  return startService({
    name: 'migrator',
    listenOn: config,
    connecting: 'connecting to the legacy database and its replication slot',
    connect,
    readiness: async ({ db }) => {
      const lag = await slotLagBytes(db, config.slot);
      return { ready: lag !== null, checks: { slot: lag === null ? 'missing' : `${lag} bytes behind` } };
    },
  });
}
