import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests per second per key (an API key's id, or a client address), plus a burst allowance above that rate. */
export interface RateLimit {
  /** 0 turns rate limiting off. */
  readonly perSecond: number;
  /** Extra requests a key may make above `perSecond` within one burst window. */
  readonly burst: number;
}

export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** The burst allowance refills once per this many seconds. */
export const BURST_WINDOW_SECONDS = 10;

/**
 * In-memory rate limiting per key, an API key's id or a client address (rate-limiter-flexible): `perSecond` points in 1-second windows, and when
 * they are spent, points from a burst allowance of `burst` per {@link BURST_WINDOW_SECONDS}. Each gateway replica
 * counts for itself; a shared store (RateLimiterRedis and others share this interface) would make it global.
 */
export class KeyRateLimiter {
  private readonly limiter: BurstyRateLimiter | RateLimiterMemory | null;

  constructor(limit: RateLimit) {
    if (limit.perSecond <= 0) {
      this.limiter = null;
      return;
    }
    const steady = new RateLimiterMemory({ keyPrefix: 'rate', points: limit.perSecond, duration: 1 });
    this.limiter =
      limit.burst > 0
        ? new BurstyRateLimiter(
            steady,
            new RateLimiterMemory({
              keyPrefix: 'burst',
              points: limit.burst,
              duration: BURST_WINDOW_SECONDS,
            }),
          )
        : steady;
  }

  async take(keyId: string): Promise<RateDecision> {
    if (!this.limiter) return { allowed: true };
    try {
      await this.limiter.consume(keyId);
      return { allowed: true };
    } catch (rejection) {
      // The memory store rejects with a RateLimiterRes when the points are spent, with an Error only on a bug.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}
