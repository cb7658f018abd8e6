import type { DataKey } from './dataKey';

/** A key looked up by its id (what a ciphertext names) or by its stream (what a writer knows). */
export type KeyRef = { readonly keyId: string } | { readonly streamId: string };

/** A key; or `'forgotten'`: the stream had personal data and it was erased; or null: no such key, ever. */
export type KeyLookup = DataKey | 'forgotten' | null;

export interface ForgetOutcome {
  /** True when the stream had been forgotten before (forgetting twice is harmless). */
  readonly alreadyForgotten: boolean;
  /** True when key material was deleted by this call. */
  readonly hadKey: boolean;
}

/**
 * The data keys, one per stream (one per person). Implementations keep keys wrapped under the master key and keep
 * a tombstone for a forgotten stream, so that "forgotten" stays distinguishable from "never had a key" and no key
 * is ever created again for a forgotten person.
 */
export interface KeyStore {
  /**
   * The stream's key, created on first use. Concurrent calls for one stream, from any number of processes, all
   * return the same key. Throws {@link DataKeyForgottenError} when the stream has been forgotten.
   */
  getOrCreate(streamId: string): Promise<DataKey>;
  /**
   * {@link KeyStore.getOrCreate} for many streams at once (one insert, and one read of those that had an entry):
   * every stream is in the map, with its key (created when it had none) or `'forgotten'` (callers throw
   * {@link DataKeyForgottenError} for those). Converges with concurrent `getOrCreate` and `getOrCreateMany` calls from any process on one key per stream.
   */
  getOrCreateMany(streamIds: readonly string[]): Promise<Map<string, DataKey | 'forgotten'>>;
  get(ref: KeyRef): Promise<KeyLookup>;
  /**
   * The keys of many streams in one lookup, for a consumer about to decrypt a batch of records: a stream that has
   * a key, or was forgotten, is in the map; a stream that never had a key is absent.
   */
  getMany(streamIds: readonly string[]): Promise<Map<string, DataKey | 'forgotten'>>;
  /** Deletes the stream's key material for good and leaves a tombstone (also when it never had a key). */
  forget(streamId: string): Promise<ForgetOutcome>;
  isForgotten(streamId: string): Promise<boolean>;
}
