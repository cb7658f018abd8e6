// The composition root of the projector: the only place that reads the environment and the host.
import os from 'node:os';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readProjectorConfig } from './config';
import { startProjectorService } from './projectorService';

runMain(() => {
  const config = readProjectorConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('projector', config.logLevel);
  return { logger, start: (onFatal) => startProjectorService(config, { logger, onFatal }) };
});
