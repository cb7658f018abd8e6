import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMasterKey } from '@eventfold/crypto';
import { writeDevelopmentSecrets } from './developmentSecrets';

describe('writeDevelopmentSecrets', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-secrets-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the compose .env and the dev overlay env files, owner-only, with one set of fresh secrets', () => {
    const written = writeDevelopmentSecrets(root);
    expect(written.map((w) => path.relative(root, w.file))).toEqual([
      '.env',
      'k8s/overlays/dev/generated/api-keys.env',
      'k8s/overlays/dev/generated/master-key.env',
      'k8s/overlays/dev/generated/kafka-users.env',
    ]);
    for (const { file, created } of written) {
      expect(created).toBe(true);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
    const [compose, apiKeys, master, kafka] = written.map((w) => w.variables);
    expect(Object.keys(kafka!)).toEqual(
      ['command', 'projector', 'notifier', 'query', 'integration', 'operator'].flatMap((u) => [
        `${u}.username`,
        `${u}.password`,
      ]),
    );
    expect(new Set(Object.values(kafka!).filter((_, i) => i % 2 === 1)).size).toBe(6);
    expect(parseMasterKey(compose!.EVENTFOLD_KEY_ENCRYPTION_KEY)).toBeDefined();
    expect(master!.KEY_ENCRYPTION_KEY).toBe(compose!.EVENTFOLD_KEY_ENCRYPTION_KEY);
    expect(apiKeys!.API_KEYS).toBe(compose!.EVENTFOLD_API_KEYS);
    expect(apiKeys!.API_KEY_ID_SECRET).toBe(compose!.EVENTFOLD_API_KEY_ID_SECRET);
    expect(compose!.EVENTFOLD_API_KEYS).toMatch(/^dev-[A-Za-z0-9_-]{32}=users:read\+users:write\+admin$/);
    // Another install gets other secrets.
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-secrets-'));
    try {
      expect(writeDevelopmentSecrets(elsewhere)[0]!.variables).not.toEqual(compose);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('keeps files that exist: a replaced master key would make the personal data under the old one unreadable', () => {
    const first = writeDevelopmentSecrets(root);
    const again = writeDevelopmentSecrets(root);
    expect(again.map((w) => w.created)).toEqual([false, false, false, false]);
    expect(again.map((w) => w.added)).toEqual([[], [], [], []]);
    expect(again.map((w) => w.variables)).toEqual(first.map((w) => w.variables));
  });

  it('adds a Kafka user added to eventfold since the files were written, and changes no other value', () => {
    const first = writeDevelopmentSecrets(root);
    const kafkaUsers = first[3]!.file;
    const before = fs
      .readFileSync(kafkaUsers, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('integration.'))
      .join('\n')
      .trim(); // and no newline at its end
    fs.writeFileSync(kafkaUsers, before);
    const again = writeDevelopmentSecrets(root);
    expect(again[3]!.added).toEqual(['integration.username', 'integration.password']);
    expect(again[3]!.variables['integration.username']).toBe('eventfold-integration');
    const { 'integration.password': _added, ...others } = again[3]!.variables;
    const { 'integration.password': _first, ...othersBefore } = first[3]!.variables;
    expect(others).toEqual(othersBefore);
    expect(writeDevelopmentSecrets(root)[3]!.variables).toEqual(again[3]!.variables);
    expect(fs.statSync(kafkaUsers).mode & 0o777).toBe(0o600);
  });
});
