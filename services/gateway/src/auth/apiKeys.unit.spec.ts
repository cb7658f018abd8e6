import { keyDigest, keyIdOf, parseApiKeys } from './apiKeys';

describe('parseApiKeys', () => {
  it('reads keys with their scopes, the design’s example included', () => {
    const { keys, problems } = parseApiKeys('key1=users:read+users:write, key2=users:read');
    expect(problems).toEqual([]);
    expect(keys.map((k) => [...k.scopes])).toEqual([['users:read', 'users:write'], ['users:read']]);
    expect(keys[0]!.digest.equals(keyDigest('key1'))).toBe(true);
    expect(keys.every((k) => k.weak)).toBe(true);
  });

  it('gives each key a stable public id that is neither the key nor its digest', () => {
    const { keys } = parseApiKeys('s3cr3t-0123456789abcdef=admin');
    const [key] = keys;
    expect(key!.id).toMatch(/^[0-9a-f]{12}$/);
    expect(key!.id).toBe(keyIdOf('s3cr3t-0123456789abcdef'));
    expect(key!.digest.toString('hex')).not.toContain(key!.id);
    expect(key!.weak).toBe(false);
    expect(parseApiKeys('other-0123456789abcdef=admin,s3cr3t-0123456789abcdef=admin').keys[1]!.id).toBe(
      key!.id,
    );
  });

  it('lets a key end in base64 padding: the scopes start after the last "="', () => {
    const { keys, problems } = parseApiKeys('QUJDREVGR0hJSktMTU5PUA===users:read');
    expect(problems).toEqual([]);
    expect(keys[0]!.digest.equals(keyDigest('QUJDREVGR0hJSktMTU5PUA=='))).toBe(true);
  });

  it('reads nothing from an empty setting', () => {
    expect(parseApiKeys('')).toEqual({ keys: [], problems: [] });
    expect(parseApiKeys(' , ')).toEqual({ keys: [], problems: [] });
  });

  it('names every bad entry by position, without quoting the key', () => {
    const { keys, problems } = parseApiKeys(
      'good-key=users:read,nokey,secret-a=,secret-b=users:delete,sec ret=admin,good-key=admin',
    );
    expect(keys).toHaveLength(1);
    expect(problems).toEqual([
      'API_KEYS entry 2 must look like key=scope+scope',
      'API_KEYS entry 3 must look like key=scope+scope',
      'API_KEYS entry 4: unknown scope "users:delete"',
      'API_KEYS entry 5: the key may only hold letters, digits and - . _ ~ + / (then = padding)',
      'API_KEYS entry 6 repeats an earlier key',
    ]);
    expect(problems.join(' ')).not.toMatch(/secret|good-key/);
  });
});
