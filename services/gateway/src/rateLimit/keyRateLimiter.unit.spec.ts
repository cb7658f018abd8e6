import { BURST_WINDOW_SECONDS, KeyRateLimiter } from './keyRateLimiter';

describe('KeyRateLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  const takeMany = async (limiter: KeyRateLimiter, key: string, n: number) => {
    const decisions = [];
    for (let i = 0; i < n; i++) decisions.push(await limiter.take(key));
    return decisions;
  };
  const allowedCount = (decisions: { allowed: boolean }[]) => decisions.filter((d) => d.allowed).length;

  it('allows the rate plus the burst, then refuses with the seconds to wait', async () => {
    const limiter = new KeyRateLimiter({ perSecond: 5, burst: 3 });
    const decisions = await takeMany(limiter, 'k', 10);
    expect(allowedCount(decisions)).toBe(8);
    expect(decisions.at(-1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('grants the rate again each second, but the burst only once per burst window', async () => {
    const limiter = new KeyRateLimiter({ perSecond: 5, burst: 3 });
    await takeMany(limiter, 'k', 8);
    jest.advanceTimersByTime(1000);
    expect(allowedCount(await takeMany(limiter, 'k', 8))).toBe(5);
    jest.advanceTimersByTime(BURST_WINDOW_SECONDS * 1000);
    expect(allowedCount(await takeMany(limiter, 'k', 10))).toBe(8);
  });

  it('counts each key for itself', async () => {
    const limiter = new KeyRateLimiter({ perSecond: 2, burst: 0 });
    expect(allowedCount(await takeMany(limiter, 'a', 3))).toBe(2);
    expect(allowedCount(await takeMany(limiter, 'b', 3))).toBe(2);
  });

  it('never asks to wait less than a second (Retry-After is in whole seconds)', async () => {
    const limiter = new KeyRateLimiter({ perSecond: 1, burst: 0 });
    await limiter.take('k');
    jest.advanceTimersByTime(999);
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('allows everything when the rate is 0', async () => {
    expect(allowedCount(await takeMany(new KeyRateLimiter({ perSecond: 0, burst: 0 }), 'k', 1000))).toBe(
      1000,
    );
  });
});
