import { DataKeyForgottenError } from '../errors';
import { streamIdOfKeyId, type DataKey } from './dataKey';
import { KeyCreationBatches } from './keyCreationBatches';
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
 * concurrent `getOrCreate` or `get` calls for one stream share one call to the store; `getOrCreate` calls for
 * different streams in the same turn of the event loop share one `getOrCreateMany` call. "Never had a key" is not
 * cached (another process may create the key the next moment).
 */
export class CachingKeyStore implements KeyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly creating = new Map<string, Promise<DataKey | 'forgotten'>>();
  private readonly batches: KeyCreationBatches;
  private readonly reading = new Map<string, Promise<KeyLookup>>();
  /** Bumped by `evict`: a lookup begun before it (it may answer the key the forget deleted) caches nothing. */
  private readonly evictions = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: KeyStore,
    { maxEntries = 10_000, maxAgeMs = 60_000, now = Date.now }: CachingKeyStoreOptions = {},
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be at least 1');
    this.batches = new KeyCreationBatches((streamIds) => inner.getOrCreateMany(streamIds));
    this.maxEntries = maxEntries;
    this.maxAgeMs = maxAgeMs;
    this.now = now;
  }

  /** How many streams are cached (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }

  async getOrCreate(streamId: string): Promise<DataKey> {
    const key = this.cached(streamId) ?? (await this.create(streamId));
    if (key === 'forgotten') throw new DataKeyForgottenError(streamId);
    return key;
  }

  /** Cached keys, and the others with the streams asked for in the same turn of the event loop, in one call. */
  async getOrCreateMany(streamIds: readonly string[]): Promise<Map<string, DataKey | 'forgotten'>> {
    const unique = [...new Set(streamIds)];
    const keys = await Promise.all(
      unique.map(async (streamId) => this.cached(streamId) ?? this.create(streamId)),
    );
    return new Map(unique.map((streamId, n) => [streamId, keys[n]!]));
  }

  /**
   * The stream's key from the store: concurrent calls for one stream share one request, and requests for
   * different streams made in the same turn of the event loop share one `getOrCreateMany` call.
   */
  private create(streamId: string): Promise<DataKey | 'forgotten'> {
    let pending = this.creating.get(streamId);
    if (!pending) {
      const since = this.evictionsOf(streamId);
      pending = this.batches
        .request(streamId)
        .then((key) => {
          this.remember(streamId, key, since);
          return key;
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
    // Records of one stream decrypted side by side ask for its key together: one lookup for them all.
    const inFlight = cached ? undefined : this.reading.get(streamId);
    if (inFlight) {
      const key = await inFlight;
      if (key !== null && key !== 'forgotten' && 'keyId' in ref && key.keyId !== ref.keyId) return null;
      return key;
    }
    const since = this.evictionsOf(streamId);
    const lookup = this.inner.get(ref).then((found) => {
      if (found !== null) this.remember(streamId, found, since);
      return found;
    });
    if (!cached) this.track(streamId, lookup);
    return lookup;
  }

  /**
   * Cached keys, and the others in one lookup (streams already being looked up join that lookup): call it with
   * the streams of a batch of records before decrypting them, so that the batch costs one round trip at most.
   */
  async getMany(streamIds: readonly string[]): Promise<Map<string, DataKey | 'forgotten'>> {
    const found = new Map<string, DataKey | 'forgotten'>();
    const waits: Promise<void>[] = [];
    const join = (streamId: string, lookup: Promise<KeyLookup>) =>
      waits.push(
        lookup.then((key) => {
          if (key !== null) found.set(streamId, key);
        }),
      );
    const missing: string[] = [];
    for (const streamId of new Set(streamIds)) {
      const cached = this.cached(streamId);
      const inFlight = this.reading.get(streamId);
      if (cached) found.set(streamId, cached);
      else if (inFlight) join(streamId, inFlight);
      else missing.push(streamId);
    }
    if (missing.length > 0) {
      const since = new Map(missing.map((streamId) => [streamId, this.evictionsOf(streamId)]));
      const batch = this.inner.getMany(missing).then((keys) => {
        for (const [streamId, key] of keys) this.remember(streamId, key, since.get(streamId));
        return keys;
      });
      for (const streamId of missing) {
        const lookup = batch.then((keys) => keys.get(streamId) ?? null);
        this.track(streamId, lookup);
        join(streamId, lookup);
      }
    }
    await Promise.all(waits);
    return found;
  }

  /** Lets later lookups of the stream join this one until it settles. */
  private track(streamId: string, lookup: Promise<KeyLookup>): void {
    this.reading.set(streamId, lookup);
    const done = () => {
      if (this.reading.get(streamId) === lookup) this.reading.delete(streamId);
    };
    lookup.then(done, done);
  }

  async forget(streamId: string): Promise<ForgetOutcome> {
    this.entries.delete(streamId);
    this.reading.delete(streamId);
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

  /**
   * Drops what is cached for a stream: call it on a UserForgotten event forgotten by another process. A lookup
   * still in flight may come back with the key the forget deleted: it is answered to its caller, never cached.
   */
  evict(streamId: string): void {
    this.entries.delete(streamId);
    this.reading.delete(streamId);
    this.evictions.set(streamId, this.evictionsOf(streamId) + 1);
    if (this.evictions.size > this.maxEntries) this.evictions.delete(this.evictions.keys().next().value!);
  }

  private evictionsOf(streamId: string): number {
    return this.evictions.get(streamId) ?? 0;
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

  /** Caches a stream's key; `since`: the stream's eviction count when the lookup began (a key found after an
   * eviction it started before is not cached). */
  private remember(streamId: string, value: DataKey | 'forgotten', since?: number): void {
    // Forgetting is final: a lookup that raced with it must not bring the key back.
    if (value !== 'forgotten' && this.entries.get(streamId)?.value === 'forgotten') return;
    if (value !== 'forgotten' && since !== undefined && since !== this.evictionsOf(streamId)) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { value, at: this.now() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
