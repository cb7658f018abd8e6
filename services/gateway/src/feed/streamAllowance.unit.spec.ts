import { StreamAllowance } from './streamAllowance';

describe('StreamAllowance', () => {
  it('refuses a key its stream above the per-key limit until one of its streams ends', () => {
    const allowance = new StreamAllowance({ perKey: 2, total: 10 });
    const first = allowance.take('a')!;
    expect(allowance.take('a')).not.toBeNull();
    expect(allowance.take('a')).toBeNull();
    expect(allowance.take('b')).not.toBeNull();
    first();
    first(); // a second release of the same stream frees nothing more
    expect(allowance.held('a')).toBe(1);
    expect(allowance.take('a')).not.toBeNull();
    expect(allowance.take('a')).toBeNull();
  });

  it('refuses every key once the gateway holds its total', () => {
    const allowance = new StreamAllowance({ perKey: 5, total: 2 });
    allowance.take('a');
    const b = allowance.take('b')!;
    expect(allowance.take('c')).toBeNull();
    b();
    expect(allowance.take('c')).not.toBeNull();
    expect(allowance.held()).toBe(2);
  });
});
