import type { KeyCheckValue } from '../masterKey/keyCheck';

/** A stream's entry in a key store: its wrapped key, or the tombstone left when it was forgotten. */
export type KeyRecord =
  | {
      readonly state: 'active';
      readonly streamId: string;
      readonly keyId: string;
      /** The data key wrapped under the master key; the only secret in the store. */
      readonly wrappedKey: Buffer;
      readonly createdAt: Date;
    }
  | {
      readonly state: 'forgotten';
      readonly streamId: string;
      /** The key that was deleted, or null when the stream never had one. */
      readonly keyId: string | null;
      readonly forgottenAt: Date;
    };

/**
 * The storage behind an {@link EnvelopeKeyStore}: what differs between MongoDB, SQLite and memory. Every lookup is
 * by stream id (FerretDB answers only `_id` from an index); there is no update in place except the tombstone.
 */
export interface KeyRecords {
  /** Names the store in messages, e.g. `the key store (MongoDB database eventfold_keys)`. */
  readonly description: string;
  read(streamId: string): Promise<KeyRecord | null>;
  /** The entries of these streams that exist, in one round trip (a batch of records names many streams). */
  readMany(streamIds: readonly string[]): Promise<Map<string, KeyRecord>>;
  /** Inserts unless the stream already has an entry (a unique insert); false when it had one. */
  insert(record: Extract<KeyRecord, { state: 'active' }>): Promise<boolean>;
  /**
   * Inserts each record unless its stream already has an entry, in one round trip where the storage allows: the
   * streams whose record went in (the others had an entry, e.g. from a writer that won the race).
   */
  insertMany(records: readonly Extract<KeyRecord, { state: 'active' }>[]): Promise<Set<string>>;
  /** Replaces the stream's entry, or creates one, with a tombstone; the wrapped key must not survive it. */
  tombstone(record: Extract<KeyRecord, { state: 'forgotten' }>): Promise<void>;
  readKeyCheck(): Promise<KeyCheckValue | null>;
  /** Inserts the key-check value unless one exists; false when one did. */
  insertKeyCheck(check: KeyCheckValue): Promise<boolean>;
  /** Any entry with key material, or null: to check a master key against a store whose key check went missing. */
  anyActive(): Promise<Extract<KeyRecord, { state: 'active' }> | null>;
}
