import type { KeyStore } from '@eventfold/crypto';
import type { StreamRecord } from './streamRecord';

const CONCURRENCY = 16;

/**
 * Deletes the data keys of forgotten users, after their UserForgotten event has committed (never before: an
 * aborted transaction must not lose a key whose user still exists). The window between the commit and the
 * deletion is closed twice: the next batch of the partition waits for the deletions to finish (and retries them,
 * failing the batch when the key store stays away), and a restore deletes the key of every stream whose state is
 * forgotten and whose key is still there (a crash in between). Forgetting is idempotent.
 */
export class KeyForgetting {
  private pending: Promise<string[]> = Promise.resolve([]);

  constructor(private readonly keys: KeyStore) {}

  /** Starts deleting the keys of streams whose UserForgotten just committed. */
  start(streamIds: readonly string[]): void {
    if (streamIds.length === 0) return;
    const previous = this.pending;
    this.pending = previous.then(async (failedBefore) => [
      ...failedBefore,
      ...(await this.forgetAll(streamIds)),
    ]);
  }

  /** Waits for the deletions started so far; retries the failed ones once, and throws if they fail again. */
  async drain(): Promise<void> {
    const failed = await this.pending;
    this.pending = Promise.resolve([]);
    if (failed.length === 0) return;
    const still = await this.forgetAll(failed);
    if (still.length > 0) {
      this.pending = Promise.resolve(still);
      throw new Error(`Could not delete the data keys of ${still.length} forgotten users; retrying`);
    }
  }

  /** On restore: deletes the keys still held for streams whose state says forgotten. */
  async settle(streams: readonly StreamRecord[]): Promise<void> {
    await this.drain();
    for (let i = 0; i < streams.length; i += CONCURRENCY) {
      await Promise.all(
        streams.slice(i, i + CONCURRENCY).map(async ({ streamId }) => {
          if (!(await this.keys.isForgotten(streamId))) await this.keys.forget(streamId);
        }),
      );
    }
  }

  /** The streams whose key could not be deleted. */
  private async forgetAll(streamIds: readonly string[]): Promise<string[]> {
    const outcomes = await Promise.allSettled(streamIds.map((id) => this.keys.forget(id)));
    return streamIds.filter((_, i) => outcomes[i]!.status === 'rejected');
  }
}
