import { captureRatios, median, modeFigures, modesOfRound, type CaptureBlock } from './captureFigures';

const block = (over: Partial<CaptureBlock> & Pick<CaptureBlock, 'mode' | 'round'>): CaptureBlock => ({
  writes: 1000,
  failed: 0,
  seconds: 1,
  writeLatenciesMs: [1, 2, 3],
  lagsMs: [],
  missing: 0,
  walBytes: 100_000,
  retainedBytes: 0,
  ...over,
});

describe('modesOfRound', () => {
  it('alternates the order of the modes from one round to the next', () => {
    expect(modesOfRound(0)).toEqual(['baseline', 'pgoutput', 'outbox']);
    expect(modesOfRound(1)).toEqual(['outbox', 'pgoutput', 'baseline']);
    expect(modesOfRound(2)).toEqual(modesOfRound(0));
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones; NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('modeFigures', () => {
  it('takes the median block rate, pools latencies and lags, and divides all WAL by all writes', () => {
    const blocks = [
      block({ mode: 'outbox', round: 0, writes: 800, seconds: 2, walBytes: 800_000, lagsMs: [10, 30] }),
      block({ mode: 'outbox', round: 1, writes: 1200, seconds: 2, walBytes: 1_200_000, lagsMs: [20] }),
      block({ mode: 'outbox', round: 2, writes: 900, seconds: 1, retainedBytes: 8192, missing: 2 }),
      block({ mode: 'baseline', round: 0, writes: 5000 }),
    ];
    const figures = modeFigures(blocks, 'outbox');
    expect(figures.blocks).toBe(3);
    expect(figures.writesPerSecond).toBe(600); // of 400, 600 and 900 writes/s
    expect(figures.lag).toMatchObject({ count: 3, p50: 20, max: 30 });
    expect(figures.walBytesPerWrite).toBe(2_100_000 / 2900);
    expect(figures.retainedBytes).toBe(8192);
    expect(figures.missing).toBe(2);
  });
});

describe('captureRatios', () => {
  it('divides each capture by the writer alone: throughput higher is better, latency and WAL lower', () => {
    const blocks = [
      block({ mode: 'baseline', round: 0, writes: 1000, walBytes: 300_000 }),
      block({ mode: 'pgoutput', round: 0, writes: 900, walBytes: 360_000 }),
      block({ mode: 'outbox', round: 0, writes: 750, walBytes: 750_000, writeLatenciesMs: [2, 4, 6] }),
    ];
    const ratios = captureRatios(blocks, 8);
    const find = (start: string) => ratios.find((r) => r.name.startsWith(start))!;
    expect(find('Legacy writes/s, with a pgoutput').value).toBeCloseTo(0.9);
    expect(find('Legacy writes/s, with a pgoutput').better).toBe('higher');
    expect(find('Legacy writes/s, with a trigger').value).toBeCloseTo(0.75);
    expect(find('Legacy write p50, with a trigger').value).toBe(2);
    expect(find('WAL bytes per legacy write, with a pgoutput').value).toBeCloseTo(400 / 300);
    expect(find('WAL bytes per legacy write, with a trigger').better).toBe('lower');
    expect(ratios).toHaveLength(8);
  });
});
