// The command service without the address claim (registrations and address changes go straight to the user's
// partition owner, as before decision 0016), for the benchmark only: what the claim adds to a registration is
// measured against this. Never deployed; no variable selects it.
import os from 'node:os';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readCommandServiceConfig, startCommandService } from '@eventfold/command-service';

runMain(() => {
  const config = readCommandServiceConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('command', config.logLevel);
  return {
    logger,
    start: (onFatal) =>
      startCommandService(config, { logger, clock: Date.now, onFatal, claimAddresses: false }),
  };
});
