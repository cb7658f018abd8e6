import { readMigratorConfig, startMigratorService } from '@eventfold/migrator-service';
import { createLogger } from '@eventfold/observability';
import { CliError, type Output } from './output';

export interface FollowOptions {
  readonly from?: string;
  readonly table?: string;
  readonly source?: string;
  readonly port?: string;
  readonly commandUrl?: string;
}

/**
 * `eventfold migrate follow`: the migrator service (services/migrator) in this process, until SIGINT or SIGTERM;
 * a failure it cannot get past ends the command non-zero, and a second run resumes at the acknowledged position.
 */
export async function migrateFollow(
  env: NodeJS.ProcessEnv,
  options: FollowOptions,
  out: Output,
): Promise<void> {
  const config = readMigratorConfig({
    ...env,
    ...(options.from ? { LEGACY_DATABASE_URL: options.from } : {}),
    ...(options.table ? { MIGRATION_TABLE: options.table } : {}),
    ...(options.source ? { MIGRATION_SOURCE: options.source } : {}),
    ...(options.commandUrl ? { COMMAND_URL: options.commandUrl } : {}),
    PORT: options.port ?? env.MIGRATOR_PORT ?? '8096',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  const logger = createLogger('migrator', config.logLevel);
  await new Promise<void>((resolve, reject) => {
    const fatal = (error: unknown) =>
      reject(new CliError(`migrate follow: ${(error as Error).message}; run it again to resume`));
    startMigratorService(config, { logger, clock: Date.now, onFatal: fatal }).then((service) => {
      out.line(
        `following ${config.table} of ${config.legacyUrl.replace(/\/\/[^@]*@/, '//')} (slot ${config.slot}) into ${config.commandUrl}; lag on ${service.url}/metrics; Ctrl-C stops`,
      );
      const stop = () => void service.stop().then(resolve, reject);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }, fatal);
  });
}
