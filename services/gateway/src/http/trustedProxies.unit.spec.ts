import { parseTrustedProxies } from './trustedProxies';

describe('parseTrustedProxies', () => {
  it('accepts addresses, CIDR ranges of either family and the range names express knows', () => {
    const entries = ['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1', 'loopback', 'uniquelocal'];
    expect(parseTrustedProxies(entries)).toEqual({ proxies: entries, problems: [] });
    expect(parseTrustedProxies([])).toEqual({ proxies: [], problems: [] });
  });

  it.each([
    ['ingress.internal', '"ingress.internal" is not an IP address or CIDR range'],
    ['10.0.0.0/33', '"10.0.0.0/33" has a prefix length that is not 0 to 32'],
    ['fd00::/129', '"fd00::/129" has a prefix length that is not 0 to 128'],
    ['10.0.0.0/8/1', '"10.0.0.0/8/1" is not an IP address or CIDR range'],
    ['*', '"*" is not an IP address or CIDR range'],
  ])('refuses %s', (entry, problem) => {
    expect(parseTrustedProxies([entry])).toEqual({ proxies: [], problems: [`TRUSTED_PROXIES: ${problem}`] });
  });
});
