// The composition root of the migrator: the only place that reads the environment and the clock.
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readMigratorConfig } from './config';
import { startMigratorService } from './migratorService';

runMain(() => {
  const config = readMigratorConfig(process.env);
  const logger = createLogger('migrator', config.logLevel);
  return {
    logger,
    start: (onFatal) => startMigratorService(config, { logger, clock: Date.now, onFatal }),
  };
});
