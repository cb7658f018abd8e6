import { Router } from 'express';
import type { Registry } from '@eventfold/observability';

/** What /readyz reports: ready or not, and why not, per dependency. */
export type ReadinessCheck = () => Promise<{ ready: boolean; checks: Record<string, string> }>;

/** /healthz (the process answers), /readyz (it can do its work) and /metrics (Prometheus text format). */
export function healthRoutes(readiness: ReadinessCheck, metrics: Registry): Router {
  // Exact paths, as the services' own routes (serviceApp): `/HEALTHZ` and `/healthz/` are no route.
  const router = Router({ caseSensitive: true, strict: true });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
