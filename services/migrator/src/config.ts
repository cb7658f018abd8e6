import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { EnvReader } from '@eventfold/core';

/** Everything the migrator reads from its environment (main.ts and `eventfold migrate follow` are the callers). */
export interface MigratorConfig extends ServiceSettings {
  /** `LEGACY_DATABASE_URL`: the legacy PostgreSQL (`postgres://user@host:5432/db`); its user needs REPLICATION. */
  readonly legacyUrl: string;
  readonly table: string;
  /** Names the legacy database in Idempotency-Keys, the slot, the publication and dead letters. */
  readonly source: string;
  readonly publication: string;
  readonly slot: string;
  /** The command service (not the gateway: the migrator is an internal caller, like the CLI's backfill). */
  readonly commandUrl: string;
  readonly internalToken: string | null;
  readonly statusIntervalMs: number;
}

export function readMigratorConfig(environment: NodeJS.ProcessEnv): MigratorConfig {
  const env = new EnvReader(environment);
  const source = env.string('MIGRATION_SOURCE', 'legacy');
  if (!/^[a-z0-9_]{1,40}$/.test(source)) env.problem('MIGRATION_SOURCE must be 1 to 40 of [a-z0-9_]');
  const config: MigratorConfig = {
    ...readServiceSettings(env, 8096),
    legacyUrl: env.string('LEGACY_DATABASE_URL', 'postgres://eventfold@127.0.0.1:5432/legacy'),
    table: env.string('MIGRATION_TABLE', 'users'),
    source,
    publication: env.string('MIGRATION_PUBLICATION', `eventfold_${source}`),
    slot: env.string('MIGRATION_SLOT', `eventfold_${source}`),
    commandUrl: env.string('COMMAND_URL', 'http://127.0.0.1:8090'),
    internalToken: env.optional('INTERNAL_TOKEN') ?? null,
    statusIntervalMs: env.int('MIGRATION_STATUS_INTERVAL_MS', 5000, { min: 100, max: 30_000 }),
  };
  env.check('migrator');
  return config;
}
