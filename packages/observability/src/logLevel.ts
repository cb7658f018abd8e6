/** The levels `LOG_LEVEL` takes, pino's names: `silent` writes nothing. */
export const LOG_LEVELS = Object.freeze([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const);

export type LogLevel = (typeof LOG_LEVELS)[number];

/** What reads a setting out of a fixed list (the core's `EnvReader` is one). */
interface ChoiceReader {
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
}

/** `LOG_LEVEL`, read the same way by every service: a value outside {@link LOG_LEVELS} stops the start-up. */
export function readLogLevel(env: ChoiceReader, fallback: LogLevel = 'info'): LogLevel {
  return env.oneOf('LOG_LEVEL', LOG_LEVELS, fallback);
}
