import { testEndpoints } from './endpoints';

/**
 * The master key every test service runs with: fixed, so that services started by different tests (and the
 * processes of one test) read each other's personal data. Never a key of any real deployment.
 */
export const TEST_KEY_ENCRYPTION_KEY = '1135f57a250481078cdff16fe57d5f5c02b8befeea7dcfc94a2cb4e626dfdb2b';

/** The key store database of the tests: shared by all of them, set up with {@link TEST_KEY_ENCRYPTION_KEY}. */
export const TEST_KEY_STORE_DB = 'eventfold_test_keys';

/**
 * The key settings of a test service (`KEY_ENCRYPTION_KEY`, `KEY_STORE_URI`, `KEY_STORE_DB`): the shared key store,
 * or `keyStoreDb`, a system's own (benchmarks use their own: FerretDB scans the keys on every lookup).
 */
export function testKeyEnvironment(keyStoreDb: string = TEST_KEY_STORE_DB): Record<string, string> {
  return {
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
    KEY_STORE_URI: testEndpoints().mongoShards[0]!,
    KEY_STORE_DB: keyStoreDb,
  };
}
