import type { Request, RequestHandler, Response } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { GatewayMetrics } from '../gatewayMetrics';
import type { KeyRateLimiter } from '../rateLimit/keyRateLimiter';

/** Whom a limit counts requests of: the metric's reason, the bucket's key, and how the refusal names it. */
interface LimitedSubject {
  readonly reason: 'rate-limit' | 'address-rate-limit';
  readonly keyOf: (req: Request, res: Response) => string;
  readonly who: string;
}

/** 429 with Retry-After once the subject has spent its rate and burst; otherwise on to the next handler. */
function limitBy(limiter: KeyRateLimiter, metrics: GatewayMetrics, subject: LimitedSubject): RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter.take(subject.keyOf(req, res));
    if (!decision.allowed) {
      metrics.refusalsTotal.inc({ reason: subject.reason });
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendProblem(
        res,
        problem(
          429,
          'RATE_LIMITED',
          `Too many requests ${subject.who}; retry in ${decision.retryAfterSeconds} s`,
        ),
      );
      return;
    }
    next();
  };
}

/** The authenticated key (`res.locals.keyId`) has a rate and a burst. */
export function rateLimit(limiter: KeyRateLimiter, metrics: GatewayMetrics): RequestHandler {
  return limitBy(limiter, metrics, {
    reason: 'rate-limit',
    keyOf: (_req, res) => res.locals.keyId as string,
    who: 'with this API key',
  });
}

/**
 * The client address has one too, checked before anything else is done for the request: unauthenticated attempts
 * (guessing keys) are bounded too, not only requests with a valid key. The address is express's `req.ip`: the
 * peer's, or the one a trusted proxy forwarded (TRUSTED_PROXIES).
 */
export function addressRateLimit(limiter: KeyRateLimiter, metrics: GatewayMetrics): RequestHandler {
  return limitBy(limiter, metrics, {
    reason: 'address-rate-limit',
    keyOf: (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown',
    who: 'from this address',
  });
}
