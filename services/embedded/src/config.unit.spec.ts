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

  it('generates a development API key once and keeps it; API_KEYS wins when set', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-keys-'));
    try {
      const first = apiKeys({}, dir);
      expect(first.generatedKey).toMatch(/^dev-/);
      expect(first.value).toBe(`${first.generatedKey}=users:read+users:write+admin`);
      expect(apiKeys({}, dir).generatedKey).toBe(first.generatedKey);
      expect(apiKeys({ API_KEYS: 'k=users:read' }, dir)).toMatchObject({
        value: 'k=users:read',
        generatedKey: null,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
