// The composition root of the command service: the only place that reads the environment, the clock and the host.
import os from 'node:os';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readCommandServiceConfig } from './config';
import { startCommandService } from './commandService';

runMain(() => {
  const config = readCommandServiceConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('command', config.logLevel);
  return { logger, start: (onFatal) => startCommandService(config, { logger, clock: Date.now, onFatal }) };
});
