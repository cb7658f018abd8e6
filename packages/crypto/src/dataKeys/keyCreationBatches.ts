import { InfrastructureError } from '@eventfold/core';
import type { DataKey } from './dataKey';

type Created = DataKey | 'forgotten';

interface Waiter {
  resolve(key: Created): void;
  reject(error: unknown): void;
}

/**
 * Gathers the streams whose keys are asked for within one turn of the event loop and gets or creates them in one
 * `getOrCreateMany` call, flushed on `setImmediate` (DataLoader's batching): registrations that arrive together
 * cost the key store one read and one insert between them instead of one each. Each request settles with its
 * batch: the stream's key or `'forgotten'`, or the batch's error.
 */
export class KeyCreationBatches {
  private waiting = new Map<string, Waiter[]>();

  constructor(private readonly getOrCreateMany: (streamIds: string[]) => Promise<Map<string, Created>>) {}

  /** The stream's key, from the batch of this turn of the event loop. */
  request(streamId: string): Promise<Created> {
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) setImmediate(() => void this.flush());
      const waiters = this.waiting.get(streamId);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(streamId, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    let keys: Map<string, Created>;
    try {
      keys = await this.getOrCreateMany([...batch.keys()]);
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const [streamId, waiters] of batch) {
      const key = keys.get(streamId);
      for (const waiter of waiters)
        if (key !== undefined) waiter.resolve(key);
        else
          waiter.reject(
            new InfrastructureError('DATA_KEY_NOT_CONVERGED', `No data key could be stored for ${streamId}`),
          );
    }
  }
}
