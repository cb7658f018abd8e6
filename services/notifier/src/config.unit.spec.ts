import { generateMasterKey } from '@eventfold/crypto';
import { readNotifierConfig as readWithoutKey } from './config';

// A master key is required; these cases are about everything else.
const key = { KEY_ENCRYPTION_KEY: generateMasterKey() };
const readNotifierConfig = (env: NodeJS.ProcessEnv, instanceId: string) =>
  readWithoutKey({ ...key, ...env }, instanceId);

describe('notifier configuration', () => {
  it('has defaults for the local stack', () => {
    const config = readNotifierConfig({}, 'host-1');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8093,
      mongoUri: 'mongodb://127.0.0.1:27017/',
      database: 'eventfold_notifier',
      smtp: { host: '127.0.0.1', port: 2525, secure: false },
      maxAttempts: 6,
      uncertainDelivery: 'assume-sent',
      smtpMailboxDir: null,
      mailFrom: { header: 'eventfold <no-reply@eventfold.example>', address: 'no-reply@eventfold.example' },
      instanceId: 'host-1',
      keys: { keyStoreUri: 'mongodb://127.0.0.1:27017/', keyStoreDb: 'eventfold_keys' },
    });
  });

  it('refuses to start without a well-formed master key, and keeps its keys where its database is', () => {
    expect(() => readWithoutKey({}, 'i')).toThrow(/^KEY_ENCRYPTION_KEY is required/);
    expect(() => readWithoutKey({ KEY_ENCRYPTION_KEY: 'short' }, 'i')).toThrow(/must be 32 bytes/);
    expect(readNotifierConfig({ MONGO_URI: 'mongodb://c:3/' }, 'i').keys.keyStoreUri).toBe('mongodb://c:3/');
    expect(
      readNotifierConfig({ KEY_STORE_URI: 'mongodb://k:4/', KEY_STORE_DB: 'keys' }, 'i').keys,
    ).toMatchObject({ keyStoreUri: 'mongodb://k:4/', keyStoreDb: 'keys' });
  });

  it('takes its database from the first MongoDB shard unless MONGO_URI says otherwise', () => {
    const shards = { MONGO_SHARDS: 'mongodb://a:1/,mongodb://b:2/' };
    expect(readNotifierConfig(shards, 'i').mongoUri).toBe('mongodb://a:1/');
    expect(readNotifierConfig({ ...shards, MONGO_URI: 'mongodb://c:3/' }, 'i').mongoUri).toBe(
      'mongodb://c:3/',
    );
  });

  it('refuses bad settings with one message naming them', () => {
    expect(() =>
      readNotifierConfig({ MAIL_MAX_ATTEMPTS: '0', MAIL_UNCERTAIN_DELIVERY: 'maybe' }, 'i'),
    ).toThrow(/MAIL_MAX_ATTEMPTS must be an integer from 1 to 100.*MAIL_UNCERTAIN_DELIVERY must be one of/);
    expect(() => readNotifierConfig({ SMTP_URL: 'http://x' }, 'i')).toThrow(/SMTP_URL must start with/);
    expect(() => readNotifierConfig({ MAIL_FROM: 'a@b.example, c@d.example' }, 'i')).toThrow(
      /MAIL_FROM must be one mailbox/,
    );
    expect(readNotifierConfig({ MAIL_FROM: 'no-reply@x.example' }, 'i').mailFrom.address).toBe(
      'no-reply@x.example',
    );
    expect(() => readNotifierConfig({ MAIL_RETRY_BASE_MS: '1000', MAIL_RETRY_MAX_MS: '10' }, 'i')).toThrow(
      /MAIL_RETRY_MAX_MS must not be below/,
    );
  });
});
