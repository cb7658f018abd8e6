import type { AvroCodec } from '@eventfold/avro';
import { loadSchemaCatalog } from '@eventfold/avro';
import {
  PersonalDataCipher,
  PersonalDataCodec,
  readKeySettings,
  type ConnectedKeyStore,
} from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { testKeyEnvironment } from '@eventfold/testing';

/**
 * The tests' key store (the test master key; the shared database unless `keyStoreDb` names a system's own) and
 * codecs that encrypt and decrypt with it, as the services do.
 */
export async function testCipher(keyStoreDb?: string): Promise<{
  keyStore: ConnectedKeyStore;
  sealed(codec: AvroCodec): PersonalDataCodec;
  close(): Promise<void>;
}> {
  const keyStore = await connectKeyStore(readKeySettings(testKeyEnvironment(keyStoreDb), ''));
  const cipher = new PersonalDataCipher({ catalog: loadSchemaCatalog(), keys: keyStore.keys });
  return {
    keyStore,
    sealed: (codec) => new PersonalDataCodec(codec, cipher),
    close: () => keyStore.close(),
  };
}
