// The composition root of the notifier: the only place that reads the environment, the clock and the host.
import os from 'node:os';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readNotifierConfig } from './config';
import { startNotifierService } from './notifierService';

runMain(() => {
  const config = readNotifierConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('notifier', config.logLevel);
  return {
    logger,
    start: (onFatal) =>
      startNotifierService(config, { logger, clock: Date.now, random: Math.random, onFatal }),
  };
});
