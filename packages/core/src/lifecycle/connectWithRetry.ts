import { isRetriable } from '../errors/errors';
import { retry } from '../retry/retry';

export interface ConnectWithRetryOptions {
  /** Makes every connection the service needs; throws when one is not there yet. */
  readonly connect: () => Promise<void>;
  /** Undoes a partial `connect` before the next attempt. */
  readonly cleanUp: () => Promise<void>;
  /** Told about each failed attempt, e.g. to report it in /readyz and the log. */
  readonly onAttemptFailed: (error: unknown, attempt: number) => void;
  /** A failure marked non-retriable (bad configuration) ends the retries here. */
  readonly onFatal: (error: unknown) => void;
  readonly isStopped: () => boolean;
  readonly maxDelayMs?: number;
}

/**
 * Start-up that waits for dependencies instead of crash-looping: retries `connect` with a growing delay until it
 * succeeds, the service stops, or an error says retrying cannot help (`isRetriable`: only an error marked
 * `retriable: false` does).
 */
export async function connectWithRetry(options: ConnectWithRetryOptions): Promise<void> {
  if (options.isStopped()) return;
  await retry(
    async (attempt) => {
      try {
        await options.connect();
      } catch (error) {
        options.onAttemptFailed(error, attempt);
        await options.cleanUp();
        throw error;
      }
    },
    {
      initialDelayMs: 500,
      maxDelayMs: options.maxDelayMs ?? 5000,
      jitter: 0.2,
      isStopped: options.isStopped,
    },
  ).catch((error: unknown) => {
    // Stopped meanwhile: the last failure was a wait, and nobody waits any more.
    if (!isRetriable(error)) options.onFatal(error);
  });
}
