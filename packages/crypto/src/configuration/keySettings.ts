import { parseMasterKey, type MasterKey } from '../masterKey/masterKey';

/** Where a service finds its keys: the master key and the key store (a MongoDB database of its own). */
export interface KeySettings {
  readonly masterKey: MasterKey;
  /** `KEY_STORE_URI`; by default the service's first MongoDB shard. */
  readonly keyStoreUri: string;
  /** `KEY_STORE_DB`, default `eventfold_keys`. */
  readonly keyStoreDb: string;
}

export const DEFAULT_KEY_STORE_DB = 'eventfold_keys';

/**
 * Reads `KEY_ENCRYPTION_KEY`, `KEY_STORE_URI` and `KEY_STORE_DB`. Throws a MasterKeyError (one line, never the
 * value) when the master key is missing or malformed: the service must not start without it.
 */
export function readKeySettings(env: NodeJS.ProcessEnv, defaultKeyStoreUri: string): KeySettings {
  // Every variable is read before the key is parsed: the deploy checks record the names a config reader asks for.
  const keyStoreUri = env.KEY_STORE_URI?.trim() || defaultKeyStoreUri;
  const keyStoreDb = env.KEY_STORE_DB?.trim() || DEFAULT_KEY_STORE_DB;
  return { masterKey: parseMasterKey(env.KEY_ENCRYPTION_KEY), keyStoreUri, keyStoreDb };
}
