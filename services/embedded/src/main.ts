// The composition root of the single-process mode: the only place that reads the environment, the clock and the host.
import { runMain } from '@eventfold/http';
import { createLogger } from '@eventfold/observability';
import { apiKeys, masterKey, readEmbeddedConfig } from './config';
import { startEmbeddedSystem } from './embeddedSystem';
import { firstRequest } from './firstRequest';

// Everything this process creates (the data folder, the SQLite files, the mail files, the generated keys) is its
// owner's alone: personal data and secrets are not for other users of the machine.
process.umask(0o077);

runMain(() => {
  const config = readEmbeddedConfig(process.env, process.cwd());
  const logger = createLogger('eventfold', config.logLevel);
  const keys = apiKeys(process.env, config.dataDir);
  const master = masterKey(process.env, config.dataDir);
  if (master.notice) logger.warn(master.notice);
  return {
    logger,
    start: async (onFatal) => {
      const started = Date.now();
      const system = await startEmbeddedSystem(config, {
        clock: Date.now,
        random: Math.random,
        onFatal,
        apiKeys: keys.value,
        apiKeyIdSecret: keys.idSecret,
        masterKey: master.masterKey,
      });
      console.log(firstRequest({ ...system, dataDir: config.dataDir, keys, millis: Date.now() - started }));
      return system;
    },
  };
});
