import {
  cachedReadiness,
  INTERNAL_TOKEN_HEADER,
  serviceContext,
  type ServiceDeps,
  type StartedService,
} from '@eventfold/http';
import { KeyRing } from './auth/keyRing';
import type { GatewayConfig } from './config';
import { gatewayMetrics } from './gatewayMetrics';
import { FeedUpstream } from './feed/feedUpstream';
import { StreamAllowance } from './feed/streamAllowance';
import { gatewayApp } from './http/gatewayApp';
import { gatewayOperations } from './operations/operations';
import { KeyRateLimiter } from './rateLimit/keyRateLimiter';
import { BackendClient } from './upstream/backendClient';

export interface GatewayDeps extends ServiceDeps {
  /** Milliseconds from a monotonic origin, for latencies. */
  readonly clock: () => number;
}

export type RunningGatewayService = StartedService<void>;

/** /readyz asks both backends at most once per this long, however often it is asked. */
const READINESS_CACHE_MS = 1000;

/** The gateway: backend pools, API keys, rate limiter and the app; it has nothing to connect, so answers at once. */
export async function startGatewayService(
  config: GatewayConfig,
  deps: GatewayDeps,
): Promise<RunningGatewayService> {
  const { logger, registry, metrics, startService } = serviceContext(deps, 'gateway', gatewayMetrics);
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

  return startService({
    name: 'gateway',
    listenOn: config,
    connecting: 'starting',
    app: ({ readiness }) =>
      gatewayApp({
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
        readiness,
      }),
    connect: async () => {
      const { rateLimit, addressRateLimit, trustedProxies, responseValidation: validation } = config;
      logger.info(
        { keys: keyRing.size, rateLimit, addressRateLimit, trustedProxies, validation },
        'gateway configured',
      );
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
    // The backends' own timeout answers first: a backend that does not answer is named in the checks.
    readinessTimeoutMs: config.readinessTimeoutMs + 1000,
    release: async () =>
      void (await Promise.all([
        backends.command.close(1000),
        backends.query.close(1000),
        feedUpstream.close(),
      ])),
  });
}
