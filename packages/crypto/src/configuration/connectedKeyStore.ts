import type { CachingKeyStore } from '../dataKeys/cachingKeyStore';

/** An open key store, cached, and how to close its connection (MongoDB: @eventfold/mongo; SQLite: embedded). */
export interface ConnectedKeyStore {
  readonly keys: CachingKeyStore;
  /** The master key's fingerprint, for the start-up log line (never the key). */
  readonly fingerprint: string;
  close(): Promise<void>;
}
