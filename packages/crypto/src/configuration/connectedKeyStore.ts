import type { CachingKeyStore } from '../dataKeys/cachingKeyStore';

/** An open key store, cached, and how to close its connection (MongoDB: @eventfold/mongo; SQLite: embedded). */
export interface ConnectedKeyStore {
  readonly keys: CachingKeyStore;
  /** The master key's fingerprint, for the start-up log line (never the key). */
  readonly fingerprint: string;
  close(): Promise<void>;
}

/**
 * A service's first start-up step: the key store opened (a wrong master key stops the start here, not retriable,
 * before anything is read or written), handed to the service's ordered stop, and its fingerprint logged.
 */
export async function openOwnedKeyStore(
  open: () => Promise<ConnectedKeyStore>,
  own: (name: string, stop: () => Promise<void>) => void,
  logger: { info(fields: object, message: string): void },
): Promise<CachingKeyStore> {
  const keyStore = await open();
  own('the key store', () => keyStore.close());
  logger.info({ masterKey: keyStore.fingerprint }, 'key store open');
  return keyStore.keys;
}
