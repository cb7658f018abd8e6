import { escapeRegex } from './regex';

describe('escapeRegex', () => {
  it.each(['.*', '(a+)+$', '{"$ne":""}', '$where', '[a-z]', 'a|b', '\\d', '^x', 'a/b'])(
    'makes %j match only itself',
    (text) => {
      const pattern = new RegExp(escapeRegex(text));
      expect(pattern.test(text)).toBe(true);
      expect(pattern.test('something else entirely')).toBe(false);
    },
  );
});
