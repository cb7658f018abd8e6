import { keyDigest, keyIdOf, parseApiKeys } from './apiKeys';

const secret = 'a-key-id-secret-of-at-least-32-characters';

describe('parseApiKeys', () => {
  it('reads keys with their scopes', () => {
    const { keys, problems } = parseApiKeys(
      'writer-0123456789abcdef=users:read+users:write, reader-0123456789abcdef=users:read',
      secret,
    );
    expect(problems).toEqual([]);
    expect(keys.map((k) => [...k.scopes])).toEqual([['users:read', 'users:write'], ['users:read']]);
    expect(keys[0]!.digest.equals(keyDigest('writer-0123456789abcdef'))).toBe(true);
  });

  it('gives each key a stable public id, an HMAC under the secret: neither the key, nor its digest, nor guessable without the secret', () => {
    const { keys } = parseApiKeys('s3cr3t-0123456789abcdef=admin', secret);
    const [key] = keys;
    expect(key!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(key!.id).toBe(keyIdOf('s3cr3t-0123456789abcdef', secret));
    expect(key!.digest.toString('hex')).not.toContain(key!.id);
    // The same key under the same secret, wherever it sits in the list, has the same id; another secret, another id.
    expect(
      parseApiKeys('other-0123456789abcdef=admin,s3cr3t-0123456789abcdef=admin', secret).keys[1]!.id,
    ).toBe(key!.id);
    expect(parseApiKeys('s3cr3t-0123456789abcdef=admin', `${secret}!`).keys[0]!.id).not.toBe(key!.id);
  });

  it('lets a key end in base64 padding: the scopes start after the last "="', () => {
    const { keys, problems } = parseApiKeys('QUJDREVGR0hJSktMTU5PUA===users:read', secret);
    expect(problems).toEqual([]);
    expect(keys[0]!.digest.equals(keyDigest('QUJDREVGR0hJSktMTU5PUA=='))).toBe(true);
  });

  it('reads nothing from an empty setting', () => {
    expect(parseApiKeys('', secret)).toEqual({ keys: [], problems: [] });
    expect(parseApiKeys(' , ', secret)).toEqual({ keys: [], problems: [] });
  });

  it('names every bad entry by position, without quoting the key', () => {
    const { keys, problems } = parseApiKeys(
      [
        'good-key-0123456789=users:read',
        'nokey',
        'secret-a-0123456789=',
        'secret-b-0123456789=users:delete',
        'sec ret-0123456789=admin',
        'good-key-0123456789=admin',
        'short-secret=admin',
        'dev-eventfold-key-0123456789abcdef=users:read+users:write+admin',
      ].join(','),
      secret,
    );
    expect(keys).toHaveLength(1);
    expect(problems).toEqual([
      'API_KEYS entry 2 must look like key=scope+scope',
      'API_KEYS entry 3 must look like key=scope+scope',
      'API_KEYS entry 4: unknown scope "users:delete"',
      'API_KEYS entry 5: the key may only hold letters, digits and - . _ ~ + / (then = padding)',
      'API_KEYS entry 6 repeats an earlier key',
      'API_KEYS entry 7: the key is shorter than 16 characters, easy to guess',
      'API_KEYS entry 8 is a published example key that anyone can use: generate your own',
    ]);
    expect(problems.join(' ')).not.toMatch(/secret|good-key|dev-eventfold/);
  });
});
