import { formatConsistencyToken, parseConsistencyToken } from './consistencyToken';
import { formatFeedPosition, parseFeedPosition } from './feedPosition';

describe('consistency tokens', () => {
  it('read back what they write, past 2^53', () => {
    const token = formatConsistencyToken(7, 9007199254740993n);
    expect(token).toBe('7:9007199254740993');
    expect(parseConsistencyToken(token)).toEqual({ partition: 7, offset: 9007199254740993n });
  });

  it('refuse anything but partition:offset', () => {
    for (const bad of ['', '7', '7:', ':1', '-1:2', '1:2:3', '1:x', '1: 2'])
      expect(() => parseConsistencyToken(bad)).toThrow(expect.objectContaining({ code: 'INVALID_HEADER' }));
  });
});

describe('feed positions', () => {
  it('are consistency tokens joined by commas, partitions ascending, and read back', () => {
    const text = formatFeedPosition(
      new Map([
        [3, 17n],
        [0, 41n],
        [11, 9007199254740993n],
      ]),
    );
    expect(text).toBe('0:41,3:17,11:9007199254740993');
    expect(parseFeedPosition(text)).toEqual(
      new Map([
        [0, 41n],
        [3, 17n],
        [11, 9007199254740993n],
      ]),
    );
  });

  it('take a single consistency token from a write, and start from the beginning without one', () => {
    expect(parseFeedPosition('5:120')).toEqual(new Map([[5, 120n]]));
    expect(parseFeedPosition(undefined)).toEqual(new Map());
    expect(parseFeedPosition('')).toEqual(new Map());
  });

  it('refuse what would skip or repeat events: malformed pairs, a partition twice', () => {
    for (const bad of ['0:1,', ',0:1', '0:1;1:2', '0:1,0:2', 'abc', '1'])
      expect(() => parseFeedPosition(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_RESUME_POSITION' }),
      );
  });
});
