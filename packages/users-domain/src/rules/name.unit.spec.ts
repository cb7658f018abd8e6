import { ValidationError } from '@eventfold/core';
import { normaliseName } from './name';

describe('normaliseName', () => {
  it('trims, normalises to NFC and counts characters, not UTF-16 units', () => {
    expect(normaliseName('  Zoë  ')).toBe('Zoë');
    expect(normaliseName('Zoe\u0308')).toBe('Zo\u00eb');
    expect(normaliseName('😀'.repeat(100))).toHaveLength(200);
  });

  it('keeps a zero-width non-joiner or joiner between two letters, as Persian and the Indic scripts write them', () => {
    expect(normaliseName('علی\u200Cرضا')).toBe('علی\u200Cرضا');
    expect(normaliseName('क्\u200Dष')).toBe('क्\u200Dष');
  });

  it('refuses every bidirectional control and zero-width character elsewhere', () => {
    const invisible = [
      '\u200B',
      '\u200E',
      '\u200F',
      '\u202A',
      '\u202E',
      '\u2066',
      '\u2069',
      '\u2060',
      '\uFEFF',
    ];
    for (const c of invisible)
      expect(() => normaliseName(`Ada${c}Lovelace`)).toThrow(/bidirectional controls or zero-width/);
    for (const joiner of ['\u200C', '\u200D'])
      for (const name of [`Ada ${joiner}Lovelace`, `Ada${joiner} Lovelace`, `${joiner}Ada`, `Ada${joiner}1`])
        expect(() => normaliseName(name)).toThrow(/bidirectional controls or zero-width/);
  });

  it.each([
    [''],
    ['  '],
    ['x'.repeat(101)],
    ['😀'.repeat(101)],
    ['Ada\nLovelace'],
    ['\u0000'],
    ['Ada\u202Eecila'],
  ])('rejects %j', (raw) => {
    expect(() => normaliseName(raw)).toThrow(ValidationError);
  });
});
