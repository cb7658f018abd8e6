import type { RequestHandler } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { GatewayMetrics } from '../gatewayMetrics';
import type { KeyRateLimiter } from '../rateLimit/keyRateLimiter';

/**
 * 429 with Retry-After once a client address has spent its rate and burst, before anything else is done for the
 * request: unauthenticated attempts (guessing keys) are bounded too, not only requests with a valid key. The
 * address is express's `req.ip`: the peer's, or the one a trusted proxy forwarded (TRUSTED_PROXIES).
 */
export function addressRateLimit(limiter: KeyRateLimiter, metrics: GatewayMetrics): RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (!decision.allowed) {
      metrics.refusalsTotal.inc({ reason: 'address-rate-limit' });
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendProblem(
        res,
        problem(
          429,
          'RATE_LIMITED',
          `Too many requests from this address; retry in ${decision.retryAfterSeconds} s`,
        ),
      );
      return;
    }
    next();
  };
}
