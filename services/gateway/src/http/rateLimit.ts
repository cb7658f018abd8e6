import type { RequestHandler } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { GatewayMetrics } from '../gatewayMetrics';
import type { KeyRateLimiter } from '../rateLimit/keyRateLimiter';

/** 429 with Retry-After once the authenticated key (`res.locals.keyId`) has spent its rate and burst. */
export function rateLimit(limiter: KeyRateLimiter, metrics: GatewayMetrics): RequestHandler {
  return async (_req, res, next) => {
    const decision = await limiter.take(res.locals.keyId as string);
    if (!decision.allowed) {
      metrics.refusalsTotal.inc({ reason: 'rate-limit' });
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendProblem(
        res,
        problem(
          429,
          'RATE_LIMITED',
          `Too many requests with this API key; retry in ${decision.retryAfterSeconds} s`,
        ),
      );
      return;
    }
    next();
  };
}
