// The command service without encryption of personal fields, for the benchmark only: what encryption costs is
// measured as commands/s of services/command/src/main.ts divided by this. Never deployed; no variable selects it.
import os from 'node:os';
import type { FieldCipher } from '@eventfold/crypto';
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { readCommandServiceConfig, startCommandService } from '@eventfold/command-service';

const plaintext: FieldCipher = {
  encrypt: async (_record, value) => ({ value, keyId: null }),
  decrypt: async (_record, value) => ({ value, erased: false, erasedFields: [], keyId: null }),
  prefetch: async () => undefined,
};

runMain(() => {
  const config = readCommandServiceConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('command', config.logLevel);
  return {
    logger,
    start: (onFatal) =>
      startCommandService(config, { logger, clock: Date.now, onFatal, fieldCipher: plaintext }),
  };
});
