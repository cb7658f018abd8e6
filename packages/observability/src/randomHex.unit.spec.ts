import { randomHex } from './randomHex';

describe('randomHex', () => {
  it('gives as many random bytes as asked, in hex, never the same twice across refills of its pool', () => {
    const ids = Array.from({ length: 2000 }, () => randomHex(16));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses sizes its pool cannot give', () => {
    expect(() => randomHex(0)).toThrow(RangeError);
    expect(() => randomHex(4097)).toThrow(RangeError);
  });
});
