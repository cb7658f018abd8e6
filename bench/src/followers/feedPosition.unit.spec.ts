import { positionAfter } from './feedPosition';

describe('positionAfter', () => {
  it('keeps the highest offset of each partition, partitions ascending', () => {
    expect(positionAfter(['3:17', '0:41', '3:9', '0:40', '11:2'])).toBe('0:41,3:17,11:2');
  });

  it('compares offsets as numbers, not as text', () => {
    expect(positionAfter(['5:9', '5:10'])).toBe('5:10');
  });

  it('is empty (the start of every partition) without writes, and refuses what is not a token', () => {
    expect(positionAfter([])).toBe('');
    expect(() => positionAfter(['7'])).toThrow(/not a consistency token/);
  });
});
