import express, { type Express, type RequestHandler, type Response } from 'express';
import {
  healthRoutes,
  notFoundRoute,
  problem,
  problemMiddleware,
  requestContext,
  sendProblem,
  type ReadinessCheck,
} from '@eventfold/http';
import type { Logger, Registry } from '@eventfold/observability';
import { publishedAsyncApi, usersOpenApi } from '@eventfold/users-api';
import type { KeyRing } from '../auth/keyRing';
import { consoleRoutes } from '../console/consoleRoutes';
import { followRoute, type FollowRouteOptions } from '../feed/followRoute';
import type { GatewayMetrics } from '../gatewayMetrics';
import type { GatewayOperation } from '../operations/operations';
import type { KeyRateLimiter } from '../rateLimit/keyRateLimiter';
import { addressRateLimit, rateLimit } from './rateLimit';
import { authenticate } from './authenticate';
import { forward, type ForwardOptions } from './forward';
import { observeRequests } from './observeRequests';
import { requestBody } from './requestBody';

export interface GatewayAppOptions extends ForwardOptions {
  readonly operations: readonly GatewayOperation[];
  readonly keyRing: KeyRing;
  /** Per API key, after authentication. */
  readonly rateLimiter: KeyRateLimiter;
  /** Per client address, before anything else. */
  readonly addressRateLimiter: KeyRateLimiter;
  /** Proxies whose X-Forwarded-For is believed for the client address; none: the peer's address. */
  readonly trustedProxies: readonly string[];
  readonly bodyLimitBytes: number;
  readonly readiness: ReadinessCheck;
  readonly registry: Registry;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** Follow streams (`?follow=true`); without them the audit trail answers pages only. */
  readonly feed?: FollowRouteOptions;
}

/** The operations whose `?follow=true` streams: the audit trail of a user, and every user's events. */
const FOLLOWED_OPERATIONS = new Set(['getUserEvents', 'followEvents']);

const OPERATIONAL_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/asyncapi.json']);

/** No browser guesses the type of an answer. */
const responseHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (OPERATIONAL_ROUTES.has(req.path)) res.locals.route = req.path;
  next();
};

/**
 * Answers about users are personal data: no cache keeps them. Set by the route that matched, not by a test of the
 * path, so that no spelling of a path reaches an operation without it.
 */
const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

const routeOf =
  (operation: GatewayOperation): RequestHandler =>
  (_req, res, next) => {
    res.locals.route = operation.pathTemplate;
    noStore(res);
    next();
  };

function methodNotAllowed(pathTemplate: string, allowed: string[]): RequestHandler {
  return (req, res) => {
    res.locals.route = pathTemplate;
    noStore(res);
    res.setHeader('Allow', allowed.join(', '));
    sendProblem(
      res,
      problem(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed.join(', ')}`),
    );
  };
}

/**
 * The public HTTP API: every operation of the OpenAPI document, each through the same pipeline (route label, API
 * key and scope, rate limit, body, validation and forwarding), plus /healthz, /readyz, /metrics (scope `metrics`)
 * and /openapi.json; every request first passes the rate limit of its client address. The operator console's
 * static files are under /console/ (no key needed to load them; every call they make sends the operator's).
 */
export function gatewayApp(options: GatewayAppOptions): Express {
  const app = express();
  // Paths match exactly as the document spells them: `/V1/users` and `/v1/users/` are no route (404).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.disable('x-powered-by');
  app.set('etag', false);
  // Repeated query parameters become arrays (refused later); never nested objects.
  app.set('query parser', 'simple');
  app.set('trust proxy', options.trustedProxies.length > 0 ? [...options.trustedProxies] : false);
  app.use(requestContext, responseHeaders, observeRequests(options.metrics, options.logger, options.clock));
  app.use(addressRateLimit(options.addressRateLimiter, options.metrics));
  // The metrics name routes, keys' ids and backends: a scraper's key (scope `metrics`) reads them, nobody else.
  app.get('/metrics', authenticate(options.keyRing, ['metrics'], options.metrics));
  app.use(healthRoutes(options.readiness, options.registry));
  app.get('/openapi.json', (_req, res) => {
    res.json(usersOpenApi);
  });
  // The topics, the public users.integration.v1 among them (docs/decisions/0017-public-integration-topic.md).
  app.get('/asyncapi.json', (_req, res) => {
    res.json(publishedAsyncApi);
  });

  const methodsByPath = new Map<string, { pathTemplate: string; methods: string[] }>();
  for (const operation of options.operations) {
    app[operation.method](
      operation.expressPath,
      routeOf(operation),
      authenticate(options.keyRing, operation.scopes, options.metrics),
      rateLimit(options.rateLimiter, options.metrics),
      ...requestBody(operation, options.bodyLimitBytes),
      ...(options.feed && FOLLOWED_OPERATIONS.has(operation.id)
        ? [followRoute(operation, options.feed)]
        : []),
      forward(operation, options),
    );
    const path = methodsByPath.get(operation.expressPath) ?? {
      pathTemplate: operation.pathTemplate,
      methods: [],
    };
    path.methods.push(operation.method.toUpperCase());
    methodsByPath.set(operation.expressPath, path);
  }
  for (const [expressPath, { pathTemplate, methods }] of methodsByPath) {
    app.all(expressPath, methodNotAllowed(pathTemplate, methods));
  }

  app.use(consoleRoutes());
  app.use(notFoundRoute);
  app.use(problemMiddleware(options.logger));
  return app;
}
