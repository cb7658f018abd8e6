import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import { CryptoErrorCode, MasterKeyError } from '../errors';
import { developmentMasterKey, masterKeyFromEnvironment } from './developmentMasterKey';
import { createKeyCheck, verifyKeyCheck } from './keyCheck';
import { generateMasterKey, parseMasterKey } from './masterKey';

const failure = (f: () => unknown): MasterKeyError => {
  try {
    f();
  } catch (error) {
    return error as MasterKeyError;
  }
  throw new Error('did not throw');
};

describe('the master key (KEY_ENCRYPTION_KEY)', () => {
  const bytes = randomBytes(32);

  it.each([
    ['hex', bytes.toString('hex')],
    ['upper-case hex', bytes.toString('hex').toUpperCase()],
    ['base64', bytes.toString('base64')],
    ['base64 without padding', bytes.toString('base64').replace(/=$/, '')],
    ['base64url', bytes.toString('base64url')],
    ['base64 with surrounding blanks', ` ${bytes.toString('base64')}\n`],
  ])('reads 32 bytes given as %s, all to the same key', (_form, text) => {
    const key = parseMasterKey(text);
    expect(key.key.export().equals(bytes)).toBe(true);
    expect(key.fingerprint).toBe(parseMasterKey(bytes.toString('hex')).fingerprint);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each([undefined, '', '   '])(
    'is required (%j), with a one-line message saying how to make one',
    (value) => {
      const error = failure(() => parseMasterKey(value));
      expect(error).toBeInstanceOf(MasterKeyError);
      expect(error.code).toBe(CryptoErrorCode.MasterKeyMissing);
      expect(error.retriable).toBe(false);
      expect(error.message).toBe(
        'KEY_ENCRYPTION_KEY is required: 32 random bytes as base64 or hex, e.g. from `openssl rand -base64 32`',
      );
    },
  );

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(33).toString('hex')],
    ['a passphrase', 'correct horse battery staple, said twice!!'],
    ['hex with a stray character', `${bytes.toString('hex').slice(0, 63)}g`],
  ])('refuses a malformed key (%s) without quoting it', (_why, text) => {
    const error = failure(() => parseMasterKey(text));
    expect(error.code).toBe(CryptoErrorCode.MasterKeyMalformed);
    expect(error.message).toMatch(
      /^KEY_ENCRYPTION_KEY must be 32 bytes as 64 hex digits or 44 base64 characters/,
    );
    expect(error.message).not.toContain(text);
  });

  it('refuses a key of identical bytes (a placeholder, not a key)', () => {
    expect(failure(() => parseMasterKey('0'.repeat(64))).code).toBe(CryptoErrorCode.MasterKeyMalformed);
  });

  it('refuses the master key eventfold once published in its examples, in every encoding', () => {
    const published = Buffer.from('e791a4dd291bdd489eea82599e9758a2e18c18c66a6ec10fa12455fad459fcec', 'hex');
    for (const text of [
      published.toString('hex'),
      published.toString('base64'),
      published.toString('base64url'),
    ]) {
      const error = failure(() => parseMasterKey(text));
      expect(error.code).toBe(CryptoErrorCode.MasterKeyMalformed);
      expect(error.message).toMatch(/published in eventfold's examples/);
    }
  });

  it('never shows the key when logged or serialised', () => {
    const text = bytes.toString('hex');
    const key = parseMasterKey(text);
    const shown = `${inspect(key, { depth: 5 })} ${JSON.stringify(key)}`;
    for (const encoding of ['hex', 'base64'] as const) expect(shown).not.toContain(bytes.toString(encoding));
  });

  it('generates random keys that parse', () => {
    const a = generateMasterKey();
    expect(parseMasterKey(a).fingerprint).not.toBe(parseMasterKey(generateMasterKey()).fingerprint);
  });

  it('tells the right key from a wrong one by the key-check value', () => {
    const right = parseMasterKey(generateMasterKey());
    const check = createKeyCheck(right);
    expect(() => verifyKeyCheck(right, check, 'the key store')).not.toThrow();
    const wrong = parseMasterKey(generateMasterKey());
    const error = failure(() => verifyKeyCheck(wrong, check, 'the key store'));
    expect(error.code).toBe(CryptoErrorCode.MasterKeyWrong);
    expect(error.message).toBe(
      `KEY_ENCRYPTION_KEY is not the master key of the key store (it expects the key ${right.fingerprint}, this is ${wrong.fingerprint}): set the key it was created with`,
    );
  });
});

describe('the development master key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-crypto-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated once into a private file, said so, and reused afterwards', () => {
    const file = path.join(dir, 'keys', 'master-key');
    const first = developmentMasterKey(file);
    expect(first.notice).toMatch(/^KEY_ENCRYPTION_KEY is not set: generated a development master key/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = developmentMasterKey(file);
    expect(second.notice).toMatch(/^KEY_ENCRYPTION_KEY is not set: using the development master key/);
    expect(second.masterKey.key.equals(first.masterKey.key)).toBe(true);
  });

  it('is used only when KEY_ENCRYPTION_KEY is not set, and only when allowed', () => {
    const file = path.join(dir, 'env', 'master-key');
    const set = generateMasterKey();
    expect(masterKeyFromEnvironment({ KEY_ENCRYPTION_KEY: set }, { developmentKeyFile: file })).toMatchObject(
      {
        notice: null,
        masterKey: { fingerprint: parseMasterKey(set).fingerprint },
      },
    );
    expect(fs.existsSync(file)).toBe(false);
    expect(masterKeyFromEnvironment({}, { developmentKeyFile: file }).notice).toMatch(/generated/);
    expect(() => masterKeyFromEnvironment({})).toThrow(MasterKeyError);
  });
});
