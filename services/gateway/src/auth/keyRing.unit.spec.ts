import { parseApiKeys } from './apiKeys';
import { KeyRing } from './keyRing';

describe('KeyRing', () => {
  const ring = new KeyRing(parseApiKeys('writer-key=users:read+users:write,reader-key=users:read').keys);

  it('finds the key of a Bearer header, whatever the scheme’s case', () => {
    const found = ring.authenticate('Bearer reader-key');
    expect(found.ok && [...found.key.scopes]).toEqual(['users:read']);
    expect(ring.authenticate('bearer  writer-key').ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Basic d3JpdGVyLWtleTo=', 'malformed'],
    ['Bearer', 'malformed'],
    ['Bearer writer-key extra', 'malformed'],
    ['Bearer wr!ter', 'malformed'],
    ['Bearer writer-key2', 'unknown'],
    ['Bearer writer-ke', 'unknown'],
    ['Bearer WRITER-KEY', 'unknown'],
  ])('refuses %p as %s', (header, failure) => {
    expect(ring.authenticate(header)).toEqual({ ok: false, failure });
  });

  it('authenticates nobody when no keys are configured', () => {
    expect(new KeyRing([]).authenticate('Bearer anything')).toEqual({ ok: false, failure: 'unknown' });
  });
});
