import { offsetBands } from './offsetBands';

describe('offsetBands', () => {
  it('splits a numeric range into string ranges of one length each, shortest first', () => {
    expect(offsetBands(7n, 1234n)).toEqual([
      { digits: 1, from: '7', to: '9' },
      { digits: 2, from: '10', to: '99' },
      { digits: 3, from: '100', to: '999' },
      { digits: 4, from: '1000', to: '1234' },
    ]);
  });

  it('keeps a range within one length whole, and is empty when the range is', () => {
    expect(offsetBands(0n, 0n)).toEqual([{ digits: 1, from: '0', to: '0' }]);
    expect(offsetBands(120n, 130n)).toEqual([{ digits: 3, from: '120', to: '130' }]);
    expect(offsetBands(10n, 9n)).toEqual([]);
  });

  it('reaches offsets past 2^53 exactly', () => {
    expect(offsetBands(9007199254740992n, 9007199254740993n)).toEqual([
      { digits: 16, from: '9007199254740992', to: '9007199254740993' },
    ]);
  });
});
