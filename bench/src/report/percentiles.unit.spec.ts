import { percentile, summarise } from './percentiles';

describe('percentile', () => {
  it('takes the nearest rank of the sorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 100)).toBe(10);
    expect(percentile(samples, 1)).toBe(1);
  });

  it('answers the single sample for any percentile, and NaN for none', () => {
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses percentiles outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder the samples it is given', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('summarise', () => {
  it('gives count, p50, p99 and max', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(summarise(samples)).toEqual({ count: 200, p50: 100, p99: 198, max: 200 });
  });
});
