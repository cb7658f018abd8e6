// The composition root of the integration translator: the only place that reads the environment and the host.
import os from 'node:os';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readIntegrationConfig } from './config';
import { startIntegrationService } from './integrationService';

runMain(() => {
  const config = readIntegrationConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('integration', config.logLevel);
  return { logger, start: (onFatal) => startIntegrationService(config, { logger, onFatal }) };
});
