// The composition root of the gateway: the only place that reads the environment and the clock.
import { performance } from 'node:perf_hooks';
import { createLogger } from '@eventfold/observability';
import { readGatewayConfig } from './config';
import { startGateway } from './gatewayService';

async function main(): Promise<void> {
  const config = readGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const gateway = await startGateway(config, { logger, clock: () => performance.now() });
  logger.info({ url: gateway.url }, 'listening');
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
