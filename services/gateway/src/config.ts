import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { EnvReader, ValidationError } from '@eventfold/core';
import { MIN_KEY_ID_SECRET_LENGTH, parseApiKeys, type ApiKey } from './auth/apiKeys';
import { parseTrustedProxies } from './http/trustedProxies';
import type { StreamLimits } from './feed/streamAllowance';
import type { RateLimit } from './rateLimit/keyRateLimiter';
import { RESPONSE_VALIDATION_MODES, type ResponseValidation } from './upstream/relay';

/** Everything the gateway reads from its environment (main.ts is the only caller). */
export interface GatewayConfig extends ServiceSettings {
  readonly commandUrl: string;
  readonly queryUrl: string;
  readonly apiKeys: readonly ApiKey[];
  readonly bodyLimitBytes: number;
  /** Per API key, after authentication. */
  readonly rateLimit: RateLimit;
  /** Per client address, before authentication: what bounds attempts with wrong keys. */
  readonly addressRateLimit: RateLimit;
  /** Proxies whose X-Forwarded-For names the client address (addresses, CIDR ranges, range names). */
  readonly trustedProxies: readonly string[];
  /** The deadline of one forwarded request; above the command service's wait (5 s) and the query service's. */
  readonly upstreamTimeoutMs: number;
  readonly readinessTimeoutMs: number;
  readonly backendConnections: number;
  readonly maxResponseBytes: number;
  readonly responseValidation: ResponseValidation;
  /** Follow streams open at a time, per API key (429 above) and in all. */
  readonly feedStreams: StreamLimits;
  /** `INTERNAL_TOKEN`: sent with every request to the backends, which answer nothing else when they have one. */
  readonly internalToken: string | null;
}

function backendUrl(env: EnvReader, name: string, fallback: string, problems: string[]): string {
  const raw = env.string(name, fallback);
  try {
    const url = new URL(raw);
    if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username)
      throw new Error();
    return raw;
  } catch {
    problems.push(`${name} must be an http(s) URL without credentials, query or fragment`);
    return fallback;
  }
}

export function readGatewayConfig(environment: NodeJS.ProcessEnv): GatewayConfig {
  const env = new EnvReader(environment);
  const problems: string[] = [];
  const rawKeys = env.optional('API_KEYS') ?? '';
  const idSecret = env.optional('API_KEY_ID_SECRET') ?? '';
  if (rawKeys.trim() && idSecret.length < MIN_KEY_ID_SECRET_LENGTH)
    problems.push(
      `API_KEY_ID_SECRET must be set (at least ${MIN_KEY_ID_SECRET_LENGTH} characters, e.g. \`openssl rand -base64 32\`, the same in every gateway and kept): the keys' public ids are derived with it`,
    );
  const keys = parseApiKeys(rawKeys, idSecret);
  problems.push(...keys.problems);
  const proxies = parseTrustedProxies(env.list('TRUSTED_PROXIES', []));
  problems.push(...proxies.problems);
  const config: GatewayConfig = {
    ...readServiceSettings(env, 8080),
    commandUrl: backendUrl(env, 'COMMAND_URL', 'http://127.0.0.1:8090', problems),
    queryUrl: backendUrl(env, 'QUERY_URL', 'http://127.0.0.1:8091', problems),
    apiKeys: keys.keys,
    bodyLimitBytes: env.int('BODY_LIMIT_BYTES', 16 * 1024, { min: 256, max: 10 * 1024 * 1024 }),
    rateLimit: {
      perSecond: env.int('RATE_LIMIT_PER_SECOND', 50, { min: 0, max: 1_000_000 }),
      burst: env.int('RATE_LIMIT_BURST', 100, { min: 0, max: 10_000_000 }),
    },
    // Above the key's limit: a client with one key meets that first; behind a proxy, set TRUSTED_PROXIES.
    addressRateLimit: {
      perSecond: env.int('ADDRESS_RATE_LIMIT_PER_SECOND', 100, { min: 0, max: 1_000_000 }),
      burst: env.int('ADDRESS_RATE_LIMIT_BURST', 200, { min: 0, max: 10_000_000 }),
    },
    trustedProxies: proxies.proxies,
    upstreamTimeoutMs: env.int('UPSTREAM_TIMEOUT_MS', 10_000, { min: 50, max: 300_000 }),
    readinessTimeoutMs: env.int('READINESS_TIMEOUT_MS', 2000, { min: 50, max: 60_000 }),
    backendConnections: env.int('BACKEND_CONNECTIONS', 64, { min: 1, max: 10_000 }),
    maxResponseBytes: env.int('MAX_RESPONSE_BYTES', 1024 * 1024, { min: 1024, max: 100 * 1024 * 1024 }),
    responseValidation: env.oneOf('RESPONSE_VALIDATION', RESPONSE_VALIDATION_MODES, 'warn'),
    feedStreams: {
      perKey: env.int('FEED_STREAMS_PER_KEY', 10, { min: 0, max: 100_000 }),
      total: env.int('FEED_STREAMS_TOTAL', 2000, { min: 0, max: 1_000_000 }),
    },
    internalToken: env.optional('INTERNAL_TOKEN') ?? null,
  };
  try {
    env.check('gateway');
  } catch (error) {
    if (problems.length === 0) throw error;
    throw new ValidationError('INVALID_CONFIGURATION', `${(error as Error).message}; ${problems.join('; ')}`);
  }
  if (problems.length > 0) {
    throw new ValidationError(
      'INVALID_CONFIGURATION',
      `gateway configuration is invalid: ${problems.join('; ')}`,
    );
  }
  return config;
}
