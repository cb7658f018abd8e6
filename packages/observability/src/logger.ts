import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may hold personal data (names, email addresses) anywhere a log call could pass them: they are
 * censored, never written. Services log ids, versions and codes, not values.
 */
export const personalDataPaths = Object.freeze([
  'name',
  'email',
  'oldName',
  'newName',
  'oldEmail',
  'newEmail',
  '*.name',
  '*.email',
  '*.oldName',
  '*.newName',
  '*.oldEmail',
  '*.newEmail',
  '*.*.name',
  '*.*.email',
  'req.headers.authorization',
  'headers.authorization',
]);

/** A JSON logger for one service, with personal data and credentials redacted. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      // No pino `name`: a root field called name would be censored with the personal fields.
      level,
      base: { service },
      redact: { paths: [...personalDataPaths], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
