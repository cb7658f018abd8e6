// The composition root of the projector: the only place that reads the environment and the host.
import os from 'node:os';
import { createLogger } from '@eventfold/observability';
import { readProjectorConfig } from './config';
import { startProjector } from './projectorService';

async function main(): Promise<void> {
  const config = readProjectorConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('projector', config.logLevel);
  const fatal = (error: unknown) => {
    logger.fatal({ err: error }, 'unrecoverable: exiting so that the projector is restarted');
    process.exit(1);
  };
  const projector = await startProjector(config, { logger, onFatal: fatal });
  logger.info({ url: projector.url }, 'listening');
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await projector.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
