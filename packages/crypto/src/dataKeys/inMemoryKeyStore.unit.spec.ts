import { EnvelopeKeyStore } from './envelopeKeyStore';
import { InMemoryKeyRecords } from './inMemoryKeyRecords';
import { keyStoreContract } from './keyStoreContract';

keyStoreContract('in-memory', async () => {
  const records = new InMemoryKeyRecords();
  return {
    open: (master) => EnvelopeKeyStore.open(records, master),
    loseKeyCheck: async () => records.loseKeyCheck(),
    close: async () => undefined,
  };
});
