import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOrCreateSecret, SecretFileError } from './secretFile';

describe('readOrCreateSecret', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-secret-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the secret once, owner-only, in a folder of its own, and reads it back after', () => {
    const file = path.join(root, 'data', 'dev-api-key');
    const first = readOrCreateSecret(file, () => 'first');
    expect(first).toEqual({ value: 'first', created: true });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readOrCreateSecret(file, () => 'second')).toEqual({ value: 'first', created: false });
  });

  it('refuses a secret file that other users may read, saying how to fix it', () => {
    const file = path.join(root, 'loose');
    fs.writeFileSync(file, 'secret\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(() => readOrCreateSecret(file, () => 'x')).toThrow(SecretFileError);
    expect(() => readOrCreateSecret(file, () => 'x')).toThrow(`run chmod 600 ${file}`);
  });
});
