import net from 'node:net';

/** Names express (proxy-addr) accepts for common ranges: 127.0.0.0/8 and ::1; 169.254/16 and fe80::/10; private. */
const RANGE_NAMES = Object.freeze(['loopback', 'linklocal', 'uniquelocal']);

/** Why an entry of TRUSTED_PROXIES is not an address, a CIDR range or a range name, or null when it is one. */
function problemOf(entry: string): string | null {
  if (RANGE_NAMES.includes(entry)) return null;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return `"${entry}" is not an IP address or CIDR range`;
  if (prefix === undefined) return null;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)
    return `"${entry}" has a prefix length that is not 0 to ${bits}`;
  return null;
}

/**
 * Parses TRUSTED_PROXIES: the proxies in front of the gateway whose `X-Forwarded-For` is believed, as addresses,
 * CIDR ranges or `loopback`, `linklocal`, `uniquelocal`. The client's address is then the last one in the header
 * that is not a trusted proxy; without trusted proxies the header is ignored, since anybody can send it.
 */
export function parseTrustedProxies(entries: readonly string[]): { proxies: string[]; problems: string[] } {
  const problems = entries.flatMap((entry) => {
    const problem = problemOf(entry);
    return problem ? [`TRUSTED_PROXIES: ${problem}`] : [];
  });
  return { proxies: problems.length > 0 ? [] : [...entries], problems };
}
