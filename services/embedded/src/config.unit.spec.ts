import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiKeys, readEmbeddedConfig } from './config';

describe('the embedded mode configuration', () => {
  it('defaults to ./data, the gateway on 127.0.0.1:8080 and free internal ports', () => {
    const config = readEmbeddedConfig({}, '/clone');
    expect(config).toMatchObject({
      dataDir: path.resolve('/clone', 'data'),
      host: '127.0.0.1',
      port: 8080,
      ports: { command: 0, query: 0, projector: 0, notifier: 0 },
      logLevel: 'warn',
    });
    expect(readEmbeddedConfig({ EVENTFOLD_DATA_DIR: 'elsewhere' }, '/clone').dataDir).toBe(
      path.resolve('/clone', 'elsewhere'),
    );
  });

  it('refuses invalid values with one message naming them', () => {
    expect(() => readEmbeddedConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' }, '/clone')).toThrow(
      /PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it('generates a development API key and a key id secret once and keeps them; the variables win when set', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-keys-'));
    try {
      const first = apiKeys({}, dir);
      expect(first.generatedKey).toMatch(/^dev-/);
      expect(first.value).toBe(`${first.generatedKey}=users:read+users:write+admin`);
      expect(first.idSecret).toHaveLength(44);
      expect(apiKeys({}, dir)).toMatchObject({ generatedKey: first.generatedKey, idSecret: first.idSecret });
      expect(apiKeys({ API_KEYS: 'k=users:read' }, dir)).toMatchObject({
        value: 'k=users:read',
        idSecret: first.idSecret,
        generatedKey: null,
      });
      expect(apiKeys({ API_KEY_ID_SECRET: 'mine' }, dir).idSecret).toBe('mine');
      for (const file of ['dev-api-key', 'api-key-id-secret'])
        expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
