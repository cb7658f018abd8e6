import { ValidationError } from '@eventfold/core';
import { normaliseEmail } from './email';

describe('normaliseEmail', () => {
  it.each([
    [' Ada@Example.COM ', 'Ada@example.com'],
    ['first.last+tag@sub.domain.io', 'first.last+tag@sub.domain.io'],
    ["o'brien@example.ie", "o'brien@example.ie"],
  ])('keeps %j as %j', (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });

  it.each([
    '',
    'plain',
    '@example.com',
    'ada@',
    'ada@localhost',
    'a..b@example.com',
    '.a@example.com',
    'ada@-x.com',
    'ada@example.c0m',
    'a b@example.com',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
  ])('rejects %j', (raw) => {
    expect(() => normaliseEmail(raw)).toThrow(ValidationError);
  });
});
