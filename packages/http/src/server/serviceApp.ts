import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger, Registry } from '@eventfold/observability';
import { healthRoutes, type ReadinessCheck } from '../health/healthRoutes';
import { problem } from '../problem/problem';
import { notFoundRoute, problemMiddleware, sendProblem } from '../problem/problemMiddleware';
import { requestContext } from '../requestContext/requestContext';

/** The header that carries {@link internalOnly}'s token: the gateway sends it, nothing else knows it. */
export const INTERNAL_TOKEN_HEADER = 'x-eventfold-internal-token';

/**
 * Refuses every request but the health probes unless it carries `token` (compared in constant time): a service
 * only the gateway may reach, where the network alone does not keep others out (the embedded mode, whose internal
 * services listen on the machine's loopback, where any local user could reach them).
 */
export function internalOnly(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, res, next) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    const given = Buffer.from(req.header(INTERNAL_TOKEN_HEADER) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    sendProblem(res, problem(401, 'INTERNAL_ONLY', 'This service answers the gateway only'));
  };
}

/**
 * The skeleton every HTTP service starts from: exact (case-sensitive, strict) routing, no framework banner, no
 * automatic ETags (ours are versions), request ids and trace context, /healthz, /readyz, /metrics and the service's
 * /openapi.json if it has one; with an internal token, nothing but the probes for a caller without it.
 */
export function serviceApp(options: {
  readiness: ReadinessCheck;
  metrics: Registry;
  openApi?: object;
  internalToken?: string | null;
}): Express {
  const app = express();
  // Paths match exactly as the document spells them: `/V1/users` and `/v1/users/` are no route (404).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContext);
  if (options.internalToken) app.use(internalOnly(options.internalToken));
  app.use(healthRoutes(options.readiness, options.metrics));
  const { openApi } = options;
  if (openApi)
    app.get('/openapi.json', (_req, res) => {
      res.json(openApi);
    });
  return app;
}

/** The app of a service whose HTTP surface is its probes alone (projector, notifier): health, readiness, metrics. */
export function probesApp(options: {
  readiness: ReadinessCheck;
  metrics: Registry;
  logger: Logger;
}): Express {
  const app = serviceApp(options);
  app.use(notFoundRoute);
  app.use(problemMiddleware(options.logger));
  return app;
}
