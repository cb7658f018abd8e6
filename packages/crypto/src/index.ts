// Crypto-shredding for eventfold: personal fields encrypted under a data key per person, data keys wrapped under
// the master key, forgetting by deleting the data key. The design, formats and wiring steps are in ../README.md.
export { associatedData, open, seal } from './aead/aesGcm';
export { CryptoErrorCode, DataKeyForgottenError, MasterKeyError, PersonalDataError } from './errors';
export {
  developmentMasterKey,
  masterKeyFromEnvironment,
  type ResolvedMasterKey,
} from './masterKey/developmentMasterKey';
export { createKeyCheck, verifyKeyCheck, type KeyCheckValue } from './masterKey/keyCheck';
export { deriveSubkey } from './masterKey/subkey';
export { readOrCreateSecret, SecretFileError } from './secrets/secretFile';
export {
  generateMasterKey,
  MASTER_KEY_VARIABLE,
  masterKeyFromBytes,
  parseMasterKey,
  type MasterKey,
} from './masterKey/masterKey';
export { CachingKeyStore, type CachingKeyStoreOptions } from './dataKeys/cachingKeyStore';
export { newDataKey, streamIdOfKeyId, unwrapDataKey, wrapDataKey, type DataKey } from './dataKeys/dataKey';
export { EnvelopeKeyStore } from './dataKeys/envelopeKeyStore';
export { InMemoryKeyRecords } from './dataKeys/inMemoryKeyRecords';
export type { KeyRecord, KeyRecords } from './dataKeys/keyRecords';
export type { ForgetOutcome, KeyLookup, KeyRef, KeyStore } from './dataKeys/keyStore';
export {
  PersonalDataCipher,
  type DecryptedRecord,
  type EncryptedRecord,
  type PersonalDataCipherOptions,
  type StreamOption,
} from './personalData/personalDataCipher';
export {
  compilePersonalFields,
  mapPersonalStrings,
  personalFieldPaths,
  type PersonalFieldNode,
} from './personalData/personalFields';
export {
  ENVELOPE_PREFIX,
  ERASED,
  fieldAad,
  formatEnvelope,
  isEnvelope,
  parseEnvelope,
  PII_KEY_ID_HEADER,
  type FieldEnvelope,
} from './personalData/wireFormat';
export {
  PersonalDataCodec,
  streamOfKeyHeader,
  type DecryptedDecoded,
  type EncryptedEncoded,
  type FieldCipher,
} from './personalData/personalDataCodec';
export { readableUserEvents } from './personalData/readableUserEvents';
export { openOwnedKeyStore, type ConnectedKeyStore } from './configuration/connectedKeyStore';
export { DEFAULT_KEY_STORE_DB, readKeySettings, type KeySettings } from './configuration/keySettings';
export type { UserLogAdapters } from './configuration/userLogAdapters';
