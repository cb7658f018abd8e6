import { Binary, type Collection, type Db } from 'mongodb';
import type { KeyCheckValue, KeyRecord, KeyRecords } from '@eventfold/crypto';
import { findByIds } from '../reads/findByIds';

// Documents of the key store's own database (never the read model's):
//   data_keys  { _id: streamId, state: 'active', keyId, wrappedKey: BinData(iv|ct|tag), createdAt }
//              { _id: streamId, state: 'forgotten', keyId | null, forgottenAt }   (the tombstone)
//   key_check  { _id: 'master', sealed: BinData, fingerprint, createdAt }
// Every read is by `_id`: one stream, or the streams of a batch of records (findByIds).

interface KeyDocument {
  _id: string;
  state: 'active' | 'forgotten';
  keyId: string | null;
  wrappedKey?: Binary;
  createdAt?: Date;
  forgottenAt?: Date;
}

interface KeyCheckDocument {
  _id: string;
  sealed: Binary;
  fingerprint: string;
  createdAt: Date;
}

type ActiveRecord = Extract<KeyRecord, { state: 'active' }>;

const DUPLICATE_KEY = 11000;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;

/**
 * What a bulk insert that failed only on duplicate keys refused (by index) and how many documents it inserted;
 * null for any other failure. The server reports `{ code: 11000, writeErrors: [{ index, code }], insertedCount }`.
 */
function duplicatesOf(error: unknown): { indexes: Set<number>; insertedCount: number } | null {
  if (!isDuplicate(error)) return null;
  const { writeErrors, insertedCount } = error as {
    writeErrors?: { index: number; code?: number } | { index: number; code?: number }[];
    insertedCount?: number;
  };
  const refused = writeErrors === undefined ? [] : [writeErrors].flat();
  if (!refused.every(isDuplicate)) return null;
  return { indexes: new Set(refused.map((e) => e.index)), insertedCount: insertedCount ?? -1 };
}
const bytes = (binary: Binary) => Buffer.from(binary.buffer.subarray(0, binary.length()));

/** {@link KeyRecords} in a MongoDB (or FerretDB) database of their own. */
export class MongoKeyRecords implements KeyRecords {
  readonly description: string;
  private readonly keys: Collection<KeyDocument>;
  private readonly checks: Collection<KeyCheckDocument>;

  constructor(db: Db) {
    this.description = `the key store (MongoDB database ${db.databaseName})`;
    this.keys = db.collection<KeyDocument>('data_keys');
    this.checks = db.collection<KeyCheckDocument>('key_check');
  }

  async read(streamId: string): Promise<KeyRecord | null> {
    const document = await this.keys.findOne({ _id: streamId });
    return document === null ? null : toRecord(document);
  }

  async readMany(streamIds: readonly string[]): Promise<Map<string, KeyRecord>> {
    // The streams of a batch of records: few ids one `{ _id }` query each, many in one `$in` (FerretDB scans).
    const documents = await findByIds(this.keys, streamIds);
    return new Map(documents.map((document) => [document._id, toRecord(document)]));
  }

  async insert(record: ActiveRecord): Promise<boolean> {
    try {
      await this.keys.insertOne(toDocument(record));
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  async insertMany(records: readonly ActiveRecord[]): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    try {
      // Unordered: a stream that already has an entry does not keep the ones after it out.
      await this.keys.insertMany(records.map(toDocument), { ordered: false });
      return new Set(records.map((r) => r.streamId));
    } catch (error) {
      const refused = duplicatesOf(error);
      if (refused === null) throw error;
      const tried = records.filter((_, index) => !refused.indexes.has(index));
      if (refused.insertedCount === tried.length) return new Set(tried.map((r) => r.streamId));
      return this.insertRest(tried);
    }
  }

  /**
   * After a bulk insert that stopped at its first duplicate (FerretDB may do that even unordered): a stored entry
   * with the record's own key id is this insert's (key ids are new and random), a stream without one is
   * inserted on its own.
   */
  private async insertRest(records: readonly ActiveRecord[]): Promise<Set<string>> {
    const stored = await this.readMany(records.map((r) => r.streamId));
    const inserted = new Set<string>();
    for (const record of records) {
      const entry = stored.get(record.streamId);
      const ours = entry ? entry.keyId === record.keyId : await this.insert(record);
      if (ours) inserted.add(record.streamId);
    }
    return inserted;
  }

  async tombstone(record: Extract<KeyRecord, { state: 'forgotten' }>): Promise<void> {
    const tombstone = { state: 'forgotten' as const, keyId: record.keyId, forgottenAt: record.forgottenAt };
    // A replacement, not an $unset: the whole document, wrapped key included, is rewritten without it.
    for (let round = 0; ; round++) {
      try {
        await this.keys.replaceOne({ _id: record.streamId }, tombstone, { upsert: true });
        return;
      } catch (error) {
        // Two upserts of one new _id race: the loser's insert fails; its replace on the second round succeeds.
        if (!isDuplicate(error) || round > 0) throw error;
      }
    }
  }

  async readKeyCheck(): Promise<KeyCheckValue | null> {
    const document = await this.checks.findOne({ _id: 'master' });
    return document === null ? null : { sealed: bytes(document.sealed), fingerprint: document.fingerprint };
  }

  async insertKeyCheck(check: KeyCheckValue): Promise<boolean> {
    try {
      await this.checks.insertOne({
        _id: 'master',
        sealed: new Binary(check.sealed),
        fingerprint: check.fingerprint,
        createdAt: new Date(),
      });
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  async anyActive(): Promise<Extract<KeyRecord, { state: 'active' }> | null> {
    // A scan on FerretDB, but it runs only when the key check is missing, and stops at the first match.
    const document = await this.keys.findOne({ state: 'active' });
    return document === null ? null : (toRecord(document) as ActiveRecord);
  }
}

function toDocument(record: ActiveRecord): KeyDocument {
  return {
    _id: record.streamId,
    state: 'active',
    keyId: record.keyId,
    wrappedKey: new Binary(record.wrappedKey),
    createdAt: record.createdAt,
  };
}

function toRecord(document: KeyDocument): KeyRecord {
  if (document.state === 'forgotten') {
    return {
      state: 'forgotten',
      streamId: document._id,
      keyId: document.keyId,
      forgottenAt: document.forgottenAt ?? new Date(0),
    };
  }
  return {
    state: 'active',
    streamId: document._id,
    keyId: document.keyId!,
    wrappedKey: bytes(document.wrappedKey!),
    createdAt: document.createdAt ?? new Date(0),
  };
}
