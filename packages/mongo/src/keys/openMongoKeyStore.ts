import type { Db } from 'mongodb';
import { EnvelopeKeyStore, type MasterKey } from '@eventfold/crypto';
import { MongoKeyRecords } from './mongoKeyRecords';

/**
 * The key store in `db`, a MongoDB database of its own (e.g. `eventfold_keys` on the first shard). Throws a
 * MasterKeyError when `master` is not the key the store was set up with.
 */
export function openMongoKeyStore(db: Db, master: MasterKey): Promise<EnvelopeKeyStore> {
  return EnvelopeKeyStore.open(new MongoKeyRecords(db), master);
}
