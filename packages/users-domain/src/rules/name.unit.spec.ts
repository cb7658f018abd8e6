import { ValidationError } from '@eventfold/core';
import { normaliseName } from './name';

describe('normaliseName', () => {
  it('trims, normalises to NFC and counts characters, not UTF-16 units', () => {
    expect(normaliseName('  Zoë  ')).toBe('Zoë');
    expect(normaliseName('Zoe\u0308')).toBe('Zo\u00eb');
    expect(normaliseName('😀'.repeat(100))).toHaveLength(200);
  });

  it.each([[''], ['  '], ['x'.repeat(101)], ['😀'.repeat(101)], ['Ada\nLovelace'], ['\u0000']])(
    'rejects %j',
    (raw) => {
      expect(() => normaliseName(raw)).toThrow(ValidationError);
    },
  );
});
