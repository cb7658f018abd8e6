import { TransactionSize } from './transactionSize';

describe('TransactionSize', () => {
  it('takes a quarter of a failed transaction next time, down to one message', () => {
    expect(TransactionSize.afterFailure(500)).toBe(125);
    expect(TransactionSize.afterFailure(7)).toBe(1);
    expect(TransactionSize.afterFailure(1)).toBe(1);
  });

  it('reaches one message after a few failures in a row, so that some work always fits', () => {
    let limit = 500;
    const seen: number[] = [];
    for (let failures = 0; failures < 5; failures++) seen.push((limit = TransactionSize.afterFailure(limit)));
    expect(seen).toEqual([125, 31, 7, 1, 1]);
  });

  it('doubles after each commit, up to the configured bound', () => {
    expect(TransactionSize.afterCommit(1, 500)).toBe(2);
    expect(TransactionSize.afterCommit(300, 500)).toBe(500);
    expect(TransactionSize.afterCommit(500, 500)).toBe(500);
  });
});
