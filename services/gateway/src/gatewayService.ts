import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cachedReadiness } from '@eventfold/http';
import { createMetricsRegistry, type Logger } from '@eventfold/observability';
import { INTERNAL_TOKEN_HEADER } from '@eventfold/http';
import { KeyRing } from './auth/keyRing';
import type { GatewayConfig } from './config';
import { gatewayMetrics } from './gatewayMetrics';
import { FeedUpstream } from './feed/feedUpstream';
import { StreamAllowance } from './feed/streamAllowance';
import { gatewayApp } from './http/gatewayApp';
import { gatewayOperations } from './operations/operations';
import { KeyRateLimiter } from './rateLimit/keyRateLimiter';
import { BackendClient } from './upstream/backendClient';

export interface GatewayDeps {
  readonly logger: Logger;
  /** Milliseconds from a monotonic origin, for latencies. */
  readonly clock: () => number;
}

export interface RunningGateway {
  readonly url: string;
  stop(): Promise<void>;
}

/** Slow clients get this long to send their headers, and their whole request (slowloris). */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Longer than the idle timeout of common load balancers (60 s), so that they close first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** /readyz asks both backends at most once per this long, however often it is asked. */
const READINESS_CACHE_MS = 1000;

/** Assembles the gateway: backend pools, API keys, rate limiter, the app; answers as soon as it listens. */
export async function startGateway(config: GatewayConfig, deps: GatewayDeps): Promise<RunningGateway> {
  const { logger } = deps;
  const registry = createMetricsRegistry('gateway');
  const metrics = gatewayMetrics(registry);
  const clientOptions = {
    connections: config.backendConnections,
    maxResponseBytes: config.maxResponseBytes,
    ...(config.internalToken ? { headers: { [INTERNAL_TOKEN_HEADER]: config.internalToken } } : {}),
  };
  const backends = {
    command: new BackendClient('command', config.commandUrl, clientOptions),
    query: new BackendClient('query', config.queryUrl, clientOptions),
  };
  const feedUpstream = new FeedUpstream(config.queryUrl, clientOptions.headers ?? {});
  const keyRing = new KeyRing(config.apiKeys);
  if (keyRing.size === 0) logger.warn('API_KEYS is empty: every /v1 request will be refused with 401');

  const app = gatewayApp({
    operations: gatewayOperations(),
    keyRing,
    rateLimiter: new KeyRateLimiter(config.rateLimit),
    addressRateLimiter: new KeyRateLimiter(config.addressRateLimit),
    trustedProxies: config.trustedProxies,
    backends,
    bodyLimitBytes: config.bodyLimitBytes,
    timeoutMs: config.upstreamTimeoutMs,
    validation: config.responseValidation,
    registry,
    metrics,
    logger,
    clock: deps.clock,
    feed: {
      upstream: feedUpstream,
      allowance: new StreamAllowance(config.feedStreams),
      timeoutMs: config.upstreamTimeoutMs,
      validation: config.responseValidation,
      logger,
    },
    readiness: cachedReadiness(
      async () => {
        const [command, query] = await Promise.all([
          backends.command.readiness(config.readinessTimeoutMs),
          backends.query.readiness(config.readinessTimeoutMs),
        ]);
        return { ready: command === 'ready' && query === 'ready', checks: { command, query } };
      },
      READINESS_CACHE_MS,
      deps.clock,
    ),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      keys: keyRing.size,
      rateLimit: config.rateLimit,
      addressRateLimit: config.addressRateLimit,
      trustedProxies: config.trustedProxies,
      validation: config.responseValidation,
    },
    'gateway started',
  );

  return {
    url: `http://${config.host}:${port}`,
    async stop() {
      // close() waits for keep-alive connections to end: drop the idle ones now and the busy ones after a grace.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(grace);
      await Promise.all([backends.command.close(1000), backends.query.close(1000), feedUpstream.close()]);
    },
  };
}
