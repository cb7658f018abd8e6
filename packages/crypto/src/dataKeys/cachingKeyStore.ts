import { DataKeyForgottenError } from '../errors';
import { streamIdOfKeyId, type DataKey } from './dataKey';
import type { ForgetOutcome, KeyLookup, KeyRef, KeyStore } from './keyStore';

export interface CachingKeyStoreOptions {
  /** At most this many streams are cached (least recently used ones leave first). Default 10,000. */
  readonly maxEntries?: number;
  /**
   * A cached key is used for at most this long, default 60 s: the bound on how long a process that missed a
   * forget (done by another process) goes on decrypting. Consumers also call {@link CachingKeyStore.evict} when
   * they see a UserForgotten event. "Forgotten" is cached without limit: it is final.
   */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly value: DataKey | 'forgotten';
  readonly at: number;
}

/**
 * A bounded in-memory cache in front of a {@link KeyStore}: one lookup per stream instead of one per record, and
 * concurrent `getOrCreate` calls for one stream share one call to the store. "Never had a key" is not cached
 * (another process may create the key the next moment).
 */
export class CachingKeyStore implements KeyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly creating = new Map<string, Promise<DataKey>>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: KeyStore,
    { maxEntries = 10_000, maxAgeMs = 60_000, now = Date.now }: CachingKeyStoreOptions = {},
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be at least 1');
    this.maxEntries = maxEntries;
    this.maxAgeMs = maxAgeMs;
    this.now = now;
  }

  /** How many streams are cached (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }

  async getOrCreate(streamId: string): Promise<DataKey> {
    const cached = this.cached(streamId);
    if (cached === 'forgotten') throw new DataKeyForgottenError(streamId);
    if (cached) return cached;
    let pending = this.creating.get(streamId);
    if (!pending) {
      pending = this.inner
        .getOrCreate(streamId)
        .then((key) => {
          this.remember(streamId, key);
          return key;
        })
        .catch((error: unknown) => {
          if (error instanceof DataKeyForgottenError) this.remember(streamId, 'forgotten');
          throw error;
        })
        .finally(() => this.creating.delete(streamId));
      this.creating.set(streamId, pending);
    }
    return pending;
  }

  async get(ref: KeyRef): Promise<KeyLookup> {
    const streamId = 'keyId' in ref ? streamIdOfKeyId(ref.keyId) : ref.streamId;
    if (streamId === null) return null;
    const cached = this.cached(streamId);
    if (cached === 'forgotten') return cached;
    if (cached && (!('keyId' in ref) || cached.keyId === ref.keyId)) return cached;
    const found = await this.inner.get(ref);
    if (found !== null) this.remember(streamId, found);
    return found;
  }

  async forget(streamId: string): Promise<ForgetOutcome> {
    this.entries.delete(streamId);
    const outcome = await this.inner.forget(streamId);
    this.remember(streamId, 'forgotten');
    return outcome;
  }

  async isForgotten(streamId: string): Promise<boolean> {
    if (this.cached(streamId) === 'forgotten') return true;
    const forgotten = await this.inner.isForgotten(streamId);
    if (forgotten) this.remember(streamId, 'forgotten');
    return forgotten;
  }

  /** Drops what is cached for a stream: call it on a UserForgotten event forgotten by another process. */
  evict(streamId: string): void {
    this.entries.delete(streamId);
  }

  private cached(streamId: string): DataKey | 'forgotten' | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    if (entry.value !== 'forgotten' && this.now() - entry.at >= this.maxAgeMs) {
      this.entries.delete(streamId);
      return undefined;
    }
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry.value;
  }

  private remember(streamId: string, value: DataKey | 'forgotten'): void {
    // Forgetting is final: a lookup that raced with it must not bring the key back.
    if (value !== 'forgotten' && this.entries.get(streamId)?.value === 'forgotten') return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { value, at: this.now() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
