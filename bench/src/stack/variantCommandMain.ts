// Variants of the command service for the benchmark only, each measured against services/command/src/main.ts to
// say what one feature costs: BENCH_COMMAND_VARIANT=plaintext leaves personal fields unencrypted (what encryption
// costs), =unclaimed sends registrations and address changes without claiming the address first (what the claim
// of decision 0016 adds). Never deployed: the service's own main.ts reads no such variable.
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

const variants = {
  plaintext: { fieldCipher: plaintext },
  unclaimed: { claimAddresses: false },
} as const;

const variant = process.env.BENCH_COMMAND_VARIANT as keyof typeof variants | undefined;
if (!variant || !(variant in variants))
  throw new Error(`BENCH_COMMAND_VARIANT must be one of ${Object.keys(variants).join(', ')}`);

runMain(() => {
  const config = readCommandServiceConfig(process.env, `${os.hostname()}-${process.pid}`);
  const logger = createLogger('command', config.logLevel);
  return {
    logger,
    start: (onFatal) =>
      startCommandService(config, { logger, clock: Date.now, onFatal, ...variants[variant] }),
  };
});
