import express, { type Express } from 'express';
import {
  healthRoutes,
  notFoundRoute,
  problemMiddleware,
  requestContext,
  type ReadinessCheck,
} from '@eventfold/http';
import type { Logger, Registry } from '@eventfold/observability';

/** The notifier's HTTP surface: health, readiness and metrics only. */
export function notifierApp(o: { readiness: ReadinessCheck; metrics: Registry; logger: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext);
  app.use(healthRoutes(o.readiness, o.metrics));
  app.use(notFoundRoute);
  app.use(problemMiddleware(o.logger));
  return app;
}
