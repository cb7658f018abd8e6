import type { SchemaRegistryPort } from '@eventfold/avro';
import type { EventLog } from '@eventfold/core';
import type { ConnectedKeyStore } from './connectedKeyStore';

/**
 * What every service on the user log connects to: the log, the schema registry and the users' data keys. Kafka, a
 * Confluent-compatible registry and MongoDB in production; SQLite and the embedded registry in the embedded mode.
 */
export interface UserLogAdapters {
  readonly log: EventLog;
  readonly schemaRegistry: SchemaRegistryPort;
  /** Opens the users' data keys; throws a MasterKeyError (not retriable) when the master key is not the store's. */
  readonly openKeyStore: () => Promise<ConnectedKeyStore>;
}
