// The key store contract, for the adapters' own tests (MongoDB, SQLite): `@eventfold/crypto/testing`.
export { keyStoreContract, type KeyStoreContractSubject } from '../dataKeys/keyStoreContract';
