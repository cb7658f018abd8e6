import { parseApiKeys } from './apiKeys';
import { KeyRing } from './keyRing';

describe('KeyRing', () => {
  const ring = new KeyRing(
    parseApiKeys(
      'writer-key-0123456789=users:read+users:write,reader-key-0123456789=users:read',
      'a-key-id-secret-of-at-least-32-characters',
    ).keys,
  );

  it('finds the key of a Bearer header, whatever the scheme’s case', () => {
    const found = ring.authenticate('Bearer reader-key-0123456789');
    expect(found.ok && [...found.key.scopes]).toEqual(['users:read']);
    expect(ring.authenticate('bearer  writer-key-0123456789').ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Basic d3JpdGVyLWtleTo=', 'malformed'],
    ['Bearer', 'malformed'],
    ['Bearer writer-key-0123456789 extra', 'malformed'],
    ['Bearer wr!ter', 'malformed'],
    ['Bearer writer-key-01234567892', 'unknown'],
    ['Bearer writer-key-012345678', 'unknown'],
    ['Bearer WRITER-KEY-0123456789', 'unknown'],
  ])('refuses %p as %s', (header, failure) => {
    expect(ring.authenticate(header)).toEqual({ ok: false, failure });
  });

  it('authenticates nobody when no keys are configured', () => {
    expect(new KeyRing([]).authenticate('Bearer anything')).toEqual({ ok: false, failure: 'unknown' });
  });
});
