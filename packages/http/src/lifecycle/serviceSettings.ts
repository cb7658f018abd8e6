import type { EnvReader } from '@eventfold/core';
import { readLogLevel, type LogLevel } from '@eventfold/observability';

/** What every service reads alike: where it listens (`HOST`, `PORT`: 0 takes any free port) and `LOG_LEVEL`. */
export interface ServiceSettings {
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
}

/** Reads {@link ServiceSettings}; `port` is the service's own default. Problems go to `env`, like the rest. */
export function readServiceSettings(env: EnvReader, port: number): ServiceSettings {
  return {
    host: env.string('HOST', '127.0.0.1'),
    port: env.int('PORT', port, { min: 0, max: 65535 }),
    logLevel: readLogLevel(env),
  };
}
