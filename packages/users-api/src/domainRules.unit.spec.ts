import fc from 'fast-check';
import {
  normaliseEmail,
  normaliseLocale,
  normaliseName,
  normaliseReason,
  requireReason,
  userEventTypes,
} from '@eventfold/users-domain';
import { USER_EVENT_TYPES } from './openapi';
import { validateSchema, type SchemaName } from './validation';

// The document states the domain's value rules, so that a request valid by the document is refused only for a
// reason the document gives (schemathesis found addresses and names it admitted and the domain refused).

/** Characters that sit at the edges of the rules: white space JavaScript trims, controls, letters, symbols. */
const edgy = fc.constantFrom(
  ...[' ', '\u00a0', '\u2003', '\u3000', '\ufeff', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u200b'],
  ...['a', 'Z', '0', '.', '-', '_', '@', '"', '\\', 'é', '名', '😀', '+', '!', '`', '~', '{', ' '],
);
// Characters whose NFC form is longer (composition exclusions such as U+0958) are left out: a name of 100 of them
// is 100 characters as sent and 200 as kept, a limit JSON Schema cannot state.
const texts = fc.oneof(
  fc.string({ unit: edgy, maxLength: 12 }),
  fc.string({ unit: edgy, minLength: 95, maxLength: 105 }),
  fc.string({ unit: 'grapheme', maxLength: 110 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
);
const labels = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,8}[A-Za-z0-9])?$/);
const addresses = fc.oneof(
  fc.emailAddress(),
  fc
    .tuple(fc.string({ unit: edgy, minLength: 1, maxLength: 70 }), fc.array(labels, { maxLength: 4 }), labels)
    .map(([local, hosts, tld]) => `${local}@${[...hosts, tld].join('.')}`),
  fc.tuple(fc.integer({ min: 60, max: 70 }), labels).map(([n, tld]) => `${'a'.repeat(n)}@example.${tld}`),
  texts,
);

const admits = (schema: SchemaName, value: unknown) => {
  try {
    validateSchema(schema, value);
    return true;
  } catch {
    return false;
  }
};

describe('what the document admits, the domain accepts', () => {
  const runs = { numRuns: 3000 };

  it('Name', () => {
    fc.assert(
      fc.property(texts, (name) => {
        if (admits('Name', name)) expect(() => normaliseName(name)).not.toThrow();
      }),
      runs,
    );
  });

  it('Email', () => {
    fc.assert(
      fc.property(addresses, (email) => {
        if (admits('Email', email)) expect(() => normaliseEmail(email)).not.toThrow();
      }),
      runs,
    );
  });

  it('Reason, and the reason a correction requires', () => {
    fc.assert(
      fc.property(fc.oneof(texts, fc.string({ unit: edgy, minLength: 495, maxLength: 505 })), (reason) => {
        if (admits('Reason', reason)) expect(() => normaliseReason(reason)).not.toThrow();
        if (admits('CorrectUserNameRequest', { name: 'Ada', reason }))
          expect(() => requireReason(reason)).not.toThrow();
      }),
      runs,
    );
  });

  it('Locale', () => {
    const locales = fc.oneof(texts, fc.stringMatching(/^[A-Za-z_ -]{0,8}$/));
    fc.assert(
      fc.property(locales, (locale) => {
        if (admits('Locale', locale)) expect(() => normaliseLocale(locale)).not.toThrow();
      }),
      runs,
    );
  });

  it('admits the values people have: a sample of each', () => {
    for (const name of ['Ada Lovelace', 'Zoë Ångström', '名前', ' Ada ', 'x'.repeat(100)])
      expect(admits('Name', name)).toBe(true);
    for (const email of ['ada@example.com', 'a.b+c@mail.example.co.uk', `${'a'.repeat(64)}@example.com`])
      expect(admits('Email', email)).toBe(true);
    for (const locale of ['en', 'pt-BR', 'de_CH', null]) expect(admits('Locale', locale)).toBe(true);
    for (const name of ['', '   ', 'Ada\u0000', 'x'.repeat(101), 'Ada\u202Eecila', 'Ada\u200B'])
      expect(admits('Name', name)).toBe(false);
    for (const email of ['000', 'ada@localhost', 'a..b@example.com', `${'a'.repeat(65)}@example.com`])
      expect(admits('Email', email)).toBe(false);
  });
});

describe('the event types the all-users feed filters on', () => {
  it('are the domain’s', () => {
    expect([...USER_EVENT_TYPES].sort()).toEqual([...userEventTypes].sort());
  });
});
