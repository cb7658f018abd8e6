import { readLogLevel, type LogLevel } from '@eventfold/observability';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { EnvReader } from '@eventfold/core';
import { masterKeyFromEnvironment, readOrCreateSecret, type ResolvedMasterKey } from '@eventfold/crypto';

/** Everything the single-process mode reads from its environment (main.ts is the only caller). */
export interface EmbeddedConfig {
  /** Where the SQLite file, the mail files and the generated API key live. */
  readonly dataDir: string;
  readonly host: string;
  /** The gateway's port: the only one a user talks to. */
  readonly port: number;
  /** The internal services' ports; 0 (the default) takes any free one. */
  readonly ports: {
    readonly command: number;
    readonly query: number;
    readonly projector: number;
    readonly notifier: number;
  };
  readonly partitions: number;
  readonly logLevel: LogLevel;
  /** The environment the services read their own settings from (timeouts, limits, API_KEYS). */
  readonly serviceEnv: Readonly<Record<string, string | undefined>>;
}

export function readEmbeddedConfig(environment: NodeJS.ProcessEnv, cwd: string): EmbeddedConfig {
  const env = new EnvReader(environment);
  const port = (name: string, fallback: number) => env.int(name, fallback, { min: 0, max: 65535 });
  const config: EmbeddedConfig = {
    dataDir: path.resolve(cwd, env.string('EVENTFOLD_DATA_DIR', 'data')),
    host: env.string('HOST', '127.0.0.1'),
    port: port('PORT', 8080),
    ports: {
      command: port('COMMAND_PORT', 0),
      query: port('QUERY_PORT', 0),
      projector: port('PROJECTOR_PORT', 0),
      notifier: port('NOTIFIER_PORT', 0),
    },
    partitions: env.int('PARTITIONS', 12, { min: 1, max: 1000 }),
    logLevel: readLogLevel(env, 'warn'),
    serviceEnv: environment,
  };
  env.check('embedded mode');
  return config;
}

/**
 * API_KEYS for the gateway: the caller's, else a development key with every scope, generated once and kept in the
 * data folder, so that a restart (and the README's walk-through) uses the same one. With them the secret the
 * keys' public ids are derived from (`API_KEY_ID_SECRET`), likewise generated once: the ids are in the audit trail
 * and scope each caller's commands, so they must not change from one start to the next.
 */
export function apiKeys(
  environment: NodeJS.ProcessEnv,
  dataDir: string,
): { value: string; idSecret: string; generatedKey: string | null; keyFile: string } {
  const keyFile = path.join(dataDir, 'dev-api-key');
  const idSecret =
    environment.API_KEY_ID_SECRET ||
    readOrCreateSecret(path.join(dataDir, 'api-key-id-secret'), () => randomBytes(32).toString('base64'))
      .value;
  if (environment.API_KEYS) return { value: environment.API_KEYS, idSecret, generatedKey: null, keyFile };
  const { value: key } = readOrCreateSecret(keyFile, () => `dev-${randomBytes(18).toString('base64url')}`);
  return { value: `${key}=users:read+users:write+admin`, idSecret, generatedKey: key, keyFile };
}

/**
 * The master key that wraps the users' data keys: `KEY_ENCRYPTION_KEY`, else a development key generated once and
 * kept in the data folder (mode 0600), so that personal data written before a restart stays readable after it.
 * Throws a MasterKeyError when the variable is set but malformed.
 */
export function masterKey(environment: NodeJS.ProcessEnv, dataDir: string): ResolvedMasterKey {
  return masterKeyFromEnvironment(environment, { developmentKeyFile: path.join(dataDir, 'dev-master-key') });
}
