import { retryDelayMs } from './backoff';

const policy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

describe('retryDelayMs', () => {
  it('doubles after every failed attempt, between half and all of the ceiling', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, 0.999999))).toEqual([500, 1000, 2000, 4000]);
  });

  it('never exceeds the maximum, however many attempts failed', () => {
    expect(retryDelayMs(7, policy, 0.999999)).toBe(30_000);
    expect(retryDelayMs(1000, policy, 0.999999)).toBe(30_000);
  });
});
