// The composition root of the query service: the only place that reads the environment.
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readQueryServiceConfig } from './config';
import { startQueryService } from './queryService';

runMain(() => {
  const config = readQueryServiceConfig(process.env);
  const logger = createLogger('query', config.logLevel);
  return { logger, start: (onFatal) => startQueryService(config, { logger, onFatal }) };
});
