// The notifier's public surface: what the embedded mode composes it from (with its own ledger and recipient
// documents behind these ports), and what the CLI and the deploy checks need of it.
export { readNotifierConfig, type NotifierConfig } from './config';
export { notificationsDlqTopic, notifierGroupId, notifierReaderGroupPrefix } from './kafkaNames';
export { LedgerConflictError, type Ledger } from './ledger/ledger';
export type { LedgerEntry } from './ledger/ledgerEntry';
export {
  notifierLedgerLocation,
  reopenNotifications,
  type GivenUpNotification,
  type LedgerLocation,
} from './ledger/reopenNotifications';
export {
  startNotifierService,
  type NotifierAdapters,
  type NotifierDeps,
  type NotifierStores,
  type RunningNotifierService,
} from './notifierService';
export type { Recipient } from './recipients/recipient';
export type { RecipientDocuments, StoredRecipient } from './recipients/recipientDocuments';
