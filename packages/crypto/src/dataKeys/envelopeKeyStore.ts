import { InfrastructureError } from '@eventfold/core';
import { DataKeyForgottenError } from '../errors';
import { createKeyCheck, verifyKeyCheck, wrongMasterKey } from '../masterKey/keyCheck';
import type { MasterKey } from '../masterKey/masterKey';
import { newDataKey, streamIdOfKeyId, unwrapDataKey, wrapDataKey, type DataKey } from './dataKey';
import type { KeyRecord, KeyRecords } from './keyRecords';
import type { ForgetOutcome, KeyLookup, KeyRef, KeyStore } from './keyStore';

/**
 * The {@link KeyStore} over any {@link KeyRecords} (envelope encryption): data keys are stored wrapped under the
 * master key. {@link EnvelopeKeyStore.open} checks the master key against the store's key-check value first, so a
 * wrong `KEY_ENCRYPTION_KEY` stops a service at start-up.
 */
export class EnvelopeKeyStore implements KeyStore {
  private constructor(
    private readonly records: KeyRecords,
    private readonly master: MasterKey,
    private readonly now: () => Date,
  ) {}

  /** Opens the store; throws a MasterKeyError (MASTER_KEY_WRONG) when `master` is not the store's master key. */
  static async open(
    records: KeyRecords,
    master: MasterKey,
    { now = () => new Date() }: { now?: () => Date } = {},
  ): Promise<EnvelopeKeyStore> {
    const store = new EnvelopeKeyStore(records, master, now);
    await store.checkMasterKey();
    return store;
  }

  private async checkMasterKey(): Promise<void> {
    let check = await this.records.readKeyCheck();
    if (check === null) {
      // A first start, or a key check lost: never write one for a key that cannot open the keys already there.
      const some = await this.records.anyActive();
      if (some !== null) this.unwrap(some);
      if (await this.records.insertKeyCheck(createKeyCheck(this.master))) return;
      check = await this.records.readKeyCheck();
      if (check === null) throw new InfrastructureError('KEY_CHECK_VANISHED', 'The key-check value vanished');
    }
    verifyKeyCheck(this.master, check, this.records.description);
  }

  async getOrCreate(streamId: string): Promise<DataKey> {
    // Two rounds at most: a lost race for the unique insert leaves the winner's entry to read.
    for (let round = 0; round < 2; round++) {
      const record = await this.records.read(streamId);
      if (record?.state === 'forgotten') throw new DataKeyForgottenError(streamId);
      if (record) return this.unwrap(record);
      const created = newDataKey(streamId);
      const inserted = await this.records.insert({
        state: 'active',
        streamId,
        keyId: created.keyId,
        wrappedKey: wrapDataKey(this.master, created),
        createdAt: this.now(),
      });
      if (inserted) return created;
    }
    throw new InfrastructureError('DATA_KEY_NOT_CONVERGED', `No data key could be stored for ${streamId}`);
  }

  /**
   * Inserts first, then reads the streams whose insert was refused (they have a key or a tombstone): a batch of
   * new streams, the registrations, costs one insert and no read; a stream that has a key costs a key generated for
   * nothing and an insert refused by the unique `_id`, which costs about as little as one that succeeds.
   */
  async getOrCreateMany(streamIds: readonly string[]): Promise<Map<string, DataKey | 'forgotten'>> {
    const keys = new Map<string, DataKey | 'forgotten'>();
    const created = [...new Set(streamIds)].map((id) => newDataKey(id));
    if (created.length === 0) return keys;
    const inserted = await this.records.insertMany(
      created.map((key) => ({
        state: 'active' as const,
        streamId: key.streamId,
        keyId: key.keyId,
        wrappedKey: wrapDataKey(this.master, key),
        createdAt: this.now(),
      })),
    );
    const lost: string[] = [];
    for (const key of created)
      if (inserted.has(key.streamId)) keys.set(key.streamId, key);
      else lost.push(key.streamId);
    if (lost.length === 0) return keys;
    // The stream had an entry, or another writer's insert (or a forget) came first: that entry is the stream's.
    const winners = await this.getMany(lost);
    for (const streamId of lost) {
      const winner = winners.get(streamId);
      if (winner === undefined)
        throw new InfrastructureError(
          'DATA_KEY_NOT_CONVERGED',
          `No data key could be stored for ${streamId}`,
        );
      keys.set(streamId, winner);
    }
    return keys;
  }

  async get(ref: KeyRef): Promise<KeyLookup> {
    const streamId = 'keyId' in ref ? streamIdOfKeyId(ref.keyId) : ref.streamId;
    if (streamId === null) return null;
    const record = await this.records.read(streamId);
    if (record === null) return null;
    if (record.state === 'forgotten') return 'forgotten';
    if ('keyId' in ref && ref.keyId !== record.keyId) return null;
    return this.unwrap(record);
  }

  async getMany(streamIds: readonly string[]): Promise<Map<string, DataKey | 'forgotten'>> {
    const records = await this.records.readMany([...new Set(streamIds)]);
    const keys = new Map<string, DataKey | 'forgotten'>();
    for (const [streamId, record] of records)
      keys.set(streamId, record.state === 'forgotten' ? 'forgotten' : this.unwrap(record));
    return keys;
  }

  async forget(streamId: string): Promise<ForgetOutcome> {
    const record = await this.records.read(streamId);
    if (record?.state === 'forgotten') return { alreadyForgotten: true, hadKey: false };
    await this.records.tombstone({
      state: 'forgotten',
      streamId,
      keyId: record?.keyId ?? null,
      forgottenAt: this.now(),
    });
    return { alreadyForgotten: false, hadKey: record !== null };
  }

  async isForgotten(streamId: string): Promise<boolean> {
    return (await this.records.read(streamId))?.state === 'forgotten';
  }

  private unwrap(record: Extract<KeyRecord, { state: 'active' }>): DataKey {
    const key = unwrapDataKey(this.master, record.keyId, record.streamId, record.wrappedKey);
    // The key check passed, so this is a store entry written under another master key, or tampered with.
    if (key === null)
      throw wrongMasterKey(this.master, `the data key ${record.keyId} in ${this.records.description}`, null);
    return key;
  }
}
