import fs from 'node:fs';
import path from 'node:path';
import { generateMasterKey, readKeySettings } from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { spawnService, testKeyEnvironment } from '@eventfold/testing';
import { testNotifierEnv } from '@eventfold/notifier-service/testing';
import { newReadSideEnv, serviceEnv } from '../support/readSide';

// A service that cannot read personal data must not start: a missing or malformed master key stops it before it
// connects to anything, a wrong one (not the key the key store was set up with) as soon as it opens the key store.
// Either way with one line that says what is wrong and never quotes a key.

jest.setTimeout(180_000);

const main = (name: string) => path.resolve(__dirname, '..', '..', 'services', name, 'src', 'main.ts');
const env = newReadSideEnv(2);
const environments: Record<string, () => Record<string, string>> = {
  command: () => serviceEnv(env),
  projector: () => serviceEnv(env),
  notifier: () => testNotifierEnv(env.prefix, 'eventfold_master_key_test'),
};

async function exitOf(service: string, key: string | undefined) {
  const { KEY_ENCRYPTION_KEY: _set, ...rest } = environments[service]!();
  const started = await spawnService(
    main(service),
    { ...rest, LOG_LEVEL: 'info', ...(key === undefined ? {} : { KEY_ENCRYPTION_KEY: key }) },
    { waitReady: false },
  );
  const code = await started.exited;
  return { code, log: fs.readFileSync(started.logFile, 'utf8') };
}

describe('the master key at start-up', () => {
  beforeAll(async () => {
    // The tests' key store must exist, set up with the test key, before a wrong key meets it: on an empty store
    // the first key to open it would become its key.
    await (await connectKeyStore(readKeySettings(testKeyEnvironment(), ''))).close();
  });

  it.each(['command', 'projector', 'notifier'])(
    '%s: missing or malformed, it refuses to start',
    async (service) => {
      const missing = await exitOf(service, undefined);
      expect(missing.code).toBe(1);
      expect(missing.log.trim()).toBe(
        'KEY_ENCRYPTION_KEY is required: 32 random bytes as base64 or hex, e.g. from `openssl rand -base64 32`',
      );
      const malformed = await exitOf(service, 'not-a-key');
      expect(malformed.code).toBe(1);
      expect(malformed.log.trim()).toMatch(/^KEY_ENCRYPTION_KEY must be 32 bytes .* is neither$/);
    },
  );

  it.each(['command', 'projector', 'notifier'])(
    '%s: the wrong key stops it once the key store is open',
    async (service) => {
      const key = generateMasterKey();
      const wrong = await exitOf(service, key);
      expect(wrong.code).toBe(1);
      const fatal = wrong.log
        .split('\n')
        .filter((line) => line.includes('"level":60'))
        .map((line) => JSON.parse(line) as { err: { code: string; message: string } });
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.err.code).toBe('MASTER_KEY_WRONG');
      expect(wrong.log).not.toContain(key);
    },
  );
});
