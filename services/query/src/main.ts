// The composition root of the query service: the only place that reads the environment.
import { createLogger } from '@eventfold/observability';
import { readQueryServiceConfig } from './config';
import { startQueryService } from './queryService';

async function main(): Promise<void> {
  const config = readQueryServiceConfig(process.env);
  const logger = createLogger('query', config.logLevel);
  const service = await startQueryService(config, { logger });
  logger.info({ url: service.url }, 'listening');
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await service.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
