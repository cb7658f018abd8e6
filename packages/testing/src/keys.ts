import { randomBytes } from 'node:crypto';
import { testEndpoints } from './endpoints';

/**
 * The master key every test service runs with: fixed, so that services started by different tests (and the
 * processes of one test) read each other's personal data. Never a key of any real deployment.
 */
export const TEST_KEY_ENCRYPTION_KEY = '1135f57a250481078cdff16fe57d5f5c02b8befeea7dcfc94a2cb4e626dfdb2b';

/** What every test key store database's name starts with, then the run (`EVENTFOLD_TEST_RUN`), then the file. */
export const TEST_KEY_STORE_PREFIX = 'eventfold_test_keys_';

/** The prefix of the key store databases of one test run: the global teardown drops them. */
export const testKeyStorePrefixOf = (run: string) => `${TEST_KEY_STORE_PREFIX}${run}_`;

/**
 * The key store database of this test file (jest loads modules afresh for each file), set up with
 * {@link TEST_KEY_ENCRYPTION_KEY}: its own, so that no test depends on what the ones before it left behind (when
 * FerretDB still answered a key lookup (`$in`) by scanning the whole collection, a notifier that had to look up
 * its keys among 11,000 others sent nothing in the 1.5 s each of its lives was given).
 */
export const TEST_KEY_STORE_DB = `${testKeyStorePrefixOf(process.env.EVENTFOLD_TEST_RUN ?? 'local')}${randomBytes(4).toString('hex')}`;

/**
 * The key settings of a test service (`KEY_ENCRYPTION_KEY`, `KEY_STORE_URI`, `KEY_STORE_DB`): the test file's key
 * store, or `keyStoreDb`, a system's own.
 */
export function testKeyEnvironment(keyStoreDb: string = TEST_KEY_STORE_DB): Record<string, string> {
  return {
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
    KEY_STORE_URI: testEndpoints().mongoShards[0]!,
    KEY_STORE_DB: keyStoreDb,
  };
}
