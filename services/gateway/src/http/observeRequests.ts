import type { RequestHandler } from 'express';
import type { Logger } from '@eventfold/observability';
import type { GatewayMetrics } from '../gatewayMetrics';

/**
 * Counts and times every request by method, route template and status, and writes one access-log line: route
 * template, never the URL (a search query holds a name), and the key's public id, never the key.
 */
export function observeRequests(
  metrics: GatewayMetrics,
  logger: Logger,
  clock: () => number,
): RequestHandler {
  return (req, res, next) => {
    const started = clock();
    let recorded = false;
    const record = (status: string) => {
      if (recorded) return;
      recorded = true;
      const route = (res.locals.route as string | undefined) ?? 'unmatched';
      const labels = { method: req.method, route, status };
      const ms = Math.round((clock() - started) * 10) / 10;
      metrics.requestsTotal.inc(labels);
      metrics.requestSeconds.observe(labels, ms / 1000);
      const line = {
        requestId: res.locals.requestId as string,
        ...labels,
        ms,
        key: res.locals.keyId as string,
      };
      if (route.startsWith('/v1/')) logger.info(line, 'request');
      else logger.debug(line, 'request');
    };
    res.once('finish', () => record(String(res.statusCode)));
    // 'close' also follows 'finish': only a close without it means the client left before the answer.
    res.once('close', () => record('aborted'));
    next();
  };
}
