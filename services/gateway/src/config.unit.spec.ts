import { readGatewayConfig } from './config';

const API_KEY_ID_SECRET = 'a-key-id-secret-of-at-least-32-characters';

describe('readGatewayConfig', () => {
  it('has defaults for everything, API keys included (none: every /v1 request is refused)', () => {
    expect(readGatewayConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      commandUrl: 'http://127.0.0.1:8090',
      queryUrl: 'http://127.0.0.1:8091',
      apiKeys: [],
      bodyLimitBytes: 16 * 1024,
      rateLimit: { perSecond: 50, burst: 100 },
      addressRateLimit: { perSecond: 100, burst: 200 },
      trustedProxies: [],
      upstreamTimeoutMs: 10_000,
      responseValidation: 'warn',
    });
  });

  it('reads API keys, limits and backends', () => {
    const config = readGatewayConfig({
      API_KEYS: 'key1-0123456789abcdef=users:read+users:write,key2-0123456789abcdef=users:read',
      API_KEY_ID_SECRET,
      COMMAND_URL: 'http://command:8090',
      QUERY_URL: 'https://query.internal/base',
      BODY_LIMIT_BYTES: '4096',
      RATE_LIMIT_PER_SECOND: '0',
      RESPONSE_VALIDATION: 'enforce',
    });
    expect(config.apiKeys.map((k) => [...k.scopes])).toEqual([['users:read', 'users:write'], ['users:read']]);
    expect(config).toMatchObject({
      bodyLimitBytes: 4096,
      rateLimit: { perSecond: 0 },
      responseValidation: 'enforce',
    });
  });

  it('reads the address limit and the trusted proxies, refusing what is not an address or range', () => {
    expect(
      readGatewayConfig({
        ADDRESS_RATE_LIMIT_PER_SECOND: '20',
        ADDRESS_RATE_LIMIT_BURST: '0',
        TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8,loopback',
      }),
    ).toMatchObject({
      addressRateLimit: { perSecond: 20, burst: 0 },
      trustedProxies: ['10.0.0.0/8', 'fd00::/8', 'loopback'],
    });
    expect(() => readGatewayConfig({ TRUSTED_PROXIES: 'ingress, 10.0.0.0/40' })).toThrow(
      'gateway configuration is invalid: TRUSTED_PROXIES: "ingress" is not an IP address or CIDR range; TRUSTED_PROXIES: "10.0.0.0/40" has a prefix length that is not 0 to 32',
    );
  });

  it('lists every problem at once, and never a key', () => {
    expect(() =>
      readGatewayConfig({
        PORT: 'eighty',
        API_KEYS: 'secret-one-0123456789=users:admin',
        API_KEY_ID_SECRET,
        QUERY_URL: 'ftp://query',
        COMMAND_URL: 'http://user:pw@command',
        RESPONSE_VALIDATION: 'strict',
      }),
    ).toThrow(
      'gateway configuration is invalid: PORT must be an integer from 0 to 65535, not "eighty"; RESPONSE_VALIDATION must be one of off, warn, enforce, not "strict"; API_KEYS entry 1: unknown scope "users:admin"; COMMAND_URL must be an http(s) URL without credentials, query or fragment; QUERY_URL must be an http(s) URL without credentials, query or fragment',
    );
    expect(() => readGatewayConfig({ API_KEYS: 'secret-one', API_KEY_ID_SECRET })).toThrow(
      /^gateway configuration is invalid: API_KEYS/,
    );
  });

  it('refuses keys without a key id secret to derive their public ids with, or with a short one', () => {
    for (const secret of [undefined, 'too-short']) {
      expect(() =>
        readGatewayConfig({ API_KEYS: 'key1-0123456789abcdef=users:read', API_KEY_ID_SECRET: secret }),
      ).toThrow(/API_KEY_ID_SECRET must be set \(at least 32 characters/);
    }
  });

  it('refuses, at start-up, a key shorter than 16 characters and the key the examples once published', () => {
    expect(() => readGatewayConfig({ API_KEYS: 'key1=users:read', API_KEY_ID_SECRET })).toThrow(
      'gateway configuration is invalid: API_KEYS entry 1: the key is shorter than 16 characters, easy to guess',
    );
    expect(() =>
      readGatewayConfig({ API_KEYS: 'dev-eventfold-key-0123456789abcdef=admin', API_KEY_ID_SECRET }),
    ).toThrow('API_KEYS entry 1 is a published example key that anyone can use: generate your own');
  });
});
