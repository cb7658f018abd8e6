import { MongoClient } from 'mongodb';
import { CachingKeyStore, type ConnectedKeyStore, type KeySettings } from '@eventfold/crypto';
import { openMongoKeyStore } from './openMongoKeyStore';

/**
 * Connects to the key store of `settings` and checks the master key against it. Throws a MasterKeyError
 * (`MASTER_KEY_WRONG`, not retriable) when the store was set up with another master key; connection errors are
 * retriable like any other.
 */
export async function connectKeyStore(settings: KeySettings): Promise<ConnectedKeyStore> {
  // A handful of connections: lookups are batched, and a hundred concurrent ones only queue up in the server.
  const client = new MongoClient(settings.keyStoreUri, { serverSelectionTimeoutMS: 5000, maxPoolSize: 10 });
  try {
    await client.connect();
    const store = await openMongoKeyStore(client.db(settings.keyStoreDb), settings.masterKey);
    return {
      keys: new CachingKeyStore(store),
      fingerprint: settings.masterKey.fingerprint,
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
