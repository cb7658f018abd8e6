// The composition root of the gateway: the only place that reads the environment and the clock.
import { performance } from 'node:perf_hooks';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readGatewayConfig } from './config';
import { startGatewayService } from './gatewayService';

runMain(() => {
  const config = readGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  return {
    logger,
    start: (onFatal) => startGatewayService(config, { logger, clock: () => performance.now(), onFatal }),
  };
});
