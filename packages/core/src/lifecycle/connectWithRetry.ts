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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Start-up that waits for dependencies instead of crash-looping: retries `connect` with a growing delay until it
 * succeeds, the service stops, or an error says retrying cannot help.
 */
export async function connectWithRetry(o: ConnectWithRetryOptions): Promise<void> {
  for (let attempt = 1; !o.isStopped(); attempt++) {
    try {
      await o.connect();
      return;
    } catch (error) {
      o.onAttemptFailed(error, attempt);
      await o.cleanUp();
      if ((error as { retriable?: boolean }).retriable === false) {
        o.onFatal(error);
        return;
      }
      await sleep(Math.min(500 * attempt, o.maxDelayMs ?? 5000));
    }
  }
}
