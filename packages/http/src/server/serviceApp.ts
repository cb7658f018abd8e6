import express, { type Express } from 'express';
import type { Registry } from '@eventfold/observability';
import { healthRoutes, type ReadinessCheck } from '../health/healthRoutes';
import { requestContext } from '../requestContext/requestContext';

/**
 * The skeleton every HTTP service starts from: exact (case-sensitive, strict) routing, no framework banner, no automatic ETags (ours are versions),
 * request ids and trace context, /healthz, /readyz, /metrics and the service's /openapi.json.
 */
export function serviceApp(o: { readiness: ReadinessCheck; metrics: Registry; openApi: object }): Express {
  const app = express();
  // Paths match exactly as the document spells them: `/V1/users` and `/v1/users/` are no route (404).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContext);
  app.use(healthRoutes(o.readiness, o.metrics));
  app.get('/openapi.json', (_req, res) => {
    res.json(o.openApi);
  });
  return app;
}
