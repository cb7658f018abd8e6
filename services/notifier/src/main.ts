// The composition root of the notifier: the only place that reads the environment, the clock and the host.
import os from 'node:os';
import { createLogger } from '@eventfold/observability';
import { readNotifierConfig } from './config';
import { startNotifierService } from './notifierService';

async function main(): Promise<void> {
  const config = readNotifierConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('notifier', config.logLevel);
  const fatal = (error: unknown) => {
    logger.fatal({ err: error }, 'unrecoverable: exiting so that the service is restarted');
    process.exit(1);
  };
  const service = await startNotifierService(config, {
    logger,
    clock: Date.now,
    random: Math.random,
    onFatal: fatal,
  });
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
