import { DataKeyForgottenError } from '../errors';
import { generateMasterKey, parseMasterKey } from '../masterKey/masterKey';
import { CachingKeyStore } from './cachingKeyStore';
import { EnvelopeKeyStore } from './envelopeKeyStore';
import { InMemoryKeyRecords } from './inMemoryKeyRecords';
import type { KeyRef, KeyStore } from './keyStore';

/** The real store, counting the calls that reach it. */
class CountingStore implements KeyStore {
  calls = 0;
  constructor(private readonly inner: KeyStore) {}
  getOrCreate(streamId: string) {
    this.calls++;
    return this.inner.getOrCreate(streamId);
  }
  getOrCreateMany(streamIds: readonly string[]) {
    this.calls++;
    return this.inner.getOrCreateMany(streamIds);
  }
  get(ref: KeyRef) {
    this.calls++;
    return this.inner.get(ref);
  }
  getMany(streamIds: readonly string[]) {
    this.calls++;
    return this.inner.getMany(streamIds);
  }
  forget(streamId: string) {
    this.calls++;
    return this.inner.forget(streamId);
  }
  isForgotten(streamId: string) {
    this.calls++;
    return this.inner.isForgotten(streamId);
  }
}

describe('CachingKeyStore', () => {
  let backing: KeyStore;
  let inner: CountingStore;
  let now: number;
  const cache = (maxEntries = 3) =>
    new CachingKeyStore(inner, { maxEntries, maxAgeMs: 1000, now: () => now });

  beforeEach(async () => {
    backing = await EnvelopeKeyStore.open(new InMemoryKeyRecords(), parseMasterKey(generateMasterKey()));
    inner = new CountingStore(backing);
    now = 0;
  });

  it('asks the store once per stream, and once for concurrent first uses', async () => {
    const keys = cache();
    const created = await Promise.all([keys.getOrCreate('user-a'), keys.getOrCreate('user-a')]);
    expect(created[0].keyId).toBe(created[1].keyId);
    const found = await keys.get({ keyId: created[0].keyId });
    expect(found).toBe(created[0]);
    await keys.get({ streamId: 'user-a' });
    expect(inner.calls).toBe(1);
  });

  it('creates the keys of different streams asked for in the same tick in one call to the store', async () => {
    const keys = cache(100);
    const many = jest.spyOn(inner, 'getOrCreateMany');
    const ids = Array.from({ length: 20 }, (_, n) => `user-${n}`);
    const created = await Promise.all(ids.map((id) => keys.getOrCreate(id)));
    expect(inner.calls).toBe(1);
    expect(many).toHaveBeenCalledTimes(1);
    expect([...many.mock.calls[0]![0]].sort()).toEqual([...ids].sort());
    expect(created.map((k) => k.streamId)).toEqual(ids);
    for (const key of created) {
      const stored = await backing.get({ streamId: key.streamId });
      expect(stored !== null && stored !== 'forgotten' && stored.key.equals(key.key)).toBe(true);
    }
    expect(new Set(created.map((k) => k.keyId)).size).toBe(ids.length);
    await Promise.all(ids.map((id) => keys.getOrCreate(id)));
    expect(inner.calls).toBe(1); // all cached
  });

  it('rejects every waiter of a failed batch with its error, and tries again on the next call', async () => {
    const keys = cache(100);
    const unreachable = new Error('key store unreachable');
    const many = jest.spyOn(inner, 'getOrCreateMany').mockRejectedValueOnce(unreachable);
    const outcomes = await Promise.allSettled(
      ['user-a', 'user-b', 'user-a', 'user-c'].map((id) => keys.getOrCreate(id)),
    );
    expect(outcomes).toEqual(Array(4).fill({ status: 'rejected', reason: unreachable }));
    expect(keys.size).toBe(0);
    const retried = await Promise.all([keys.getOrCreate('user-a'), keys.getOrCreate('user-b')]);
    expect(retried.map((k) => k.streamId)).toEqual(['user-a', 'user-b']);
    expect(await backing.get({ streamId: 'user-a' })).toMatchObject({ keyId: retried[0].keyId });
    expect(many.mock.calls.map(([ids]) => [...ids].sort())).toEqual([
      ['user-a', 'user-b', 'user-c'],
      ['user-a', 'user-b'],
    ]);
  });

  it('gets or creates many keys: cached ones skipped, forgotten ones reported and remembered, one call for the rest', async () => {
    const keys = cache(100);
    const a = await keys.getOrCreate('user-a');
    await backing.forget('user-f');
    const [found, single] = await Promise.all([
      keys.getOrCreateMany(['user-a', 'user-b', 'user-f', 'user-b']),
      keys.getOrCreate('user-c'),
    ]);
    expect(inner.calls).toBe(2); // user-a, then b, f and c together
    expect([...found.keys()]).toEqual(['user-a', 'user-b', 'user-f']);
    expect(found.get('user-a')).toBe(a);
    expect(found.get('user-b')).toMatchObject({ streamId: 'user-b' });
    expect(found.get('user-f')).toBe('forgotten');
    expect(single.streamId).toBe('user-c');
    now = 10_000_000; // keys expired, "forgotten" not
    await expect(keys.getOrCreate('user-f')).rejects.toBeInstanceOf(DataKeyForgottenError);
    expect((await keys.getOrCreateMany(['user-f'])).get('user-f')).toBe('forgotten');
    expect(inner.calls).toBe(2);
  });

  it('looks a stream up once for concurrent reads of its records', async () => {
    const { keyId } = await backing.getOrCreate('user-a');
    const keys = cache();
    const found = await Promise.all([
      keys.get({ keyId }),
      keys.get({ keyId }),
      keys.get({ streamId: 'user-a' }),
      keys.get({ keyId: 'user-a#other' }),
    ]);
    expect(inner.calls).toBe(1);
    expect(found.slice(0, 3).every((k) => k !== null && k !== 'forgotten' && k.keyId === keyId)).toBe(true);
    expect(found[3]).toBeNull(); // a key id the stream never had, even while joining the lookup
  });

  it('looks many streams up in one call, skipping cached ones and joining lookups in flight', async () => {
    const a = await backing.getOrCreate('user-a');
    await backing.getOrCreate('user-b');
    await backing.getOrCreate('user-c');
    await backing.forget('user-c');
    const keys = cache(10);
    await keys.get({ streamId: 'user-a' }); // cached
    const inFlight = keys.get({ streamId: 'user-b' });
    const found = await keys.getMany(['user-a', 'user-b', 'user-c', 'user-never']);
    await inFlight;
    expect(inner.calls).toBe(3); // a, then b alone, then c and user-never together
    expect(found.get('user-a')).toBe(await keys.get({ keyId: a.keyId }));
    expect(found.get('user-c')).toBe('forgotten');
    expect(found.has('user-never')).toBe(false);
    const before = inner.calls;
    await Promise.all([
      keys.get({ streamId: 'user-b' }),
      keys.get({ streamId: 'user-c' }),
      keys.getMany(['user-a']),
    ]);
    expect(inner.calls).toBe(before);
  });

  it('holds at most maxEntries streams, dropping the least recently used', async () => {
    const keys = cache(2);
    await keys.getOrCreate('user-a');
    await keys.getOrCreate('user-b');
    await keys.get({ streamId: 'user-a' }); // a is now more recent than b
    await keys.getOrCreate('user-c');
    expect(keys.size).toBe(2);
    const before = inner.calls;
    await keys.get({ streamId: 'user-a' });
    expect(inner.calls).toBe(before);
    await keys.get({ streamId: 'user-b' });
    expect(inner.calls).toBe(before + 1);
  });

  it('uses a cached key for at most maxAgeMs, so a forget elsewhere is seen soon', async () => {
    const keys = cache();
    await keys.getOrCreate('user-a');
    await backing.forget('user-a'); // another process forgets
    now = 999;
    expect(await keys.get({ streamId: 'user-a' })).not.toBe('forgotten');
    now = 1000;
    expect(await keys.get({ streamId: 'user-a' })).toBe('forgotten');
  });

  it('forgets at once when told (evict on a UserForgotten event, or forget through it)', async () => {
    const keys = cache();
    await keys.getOrCreate('user-a');
    await keys.getOrCreate('user-b');
    await backing.forget('user-a');
    keys.evict('user-a');
    expect(await keys.get({ streamId: 'user-a' })).toBe('forgotten');
    await keys.forget('user-b');
    expect(await keys.isForgotten('user-b')).toBe(true);
    await expect(keys.getOrCreate('user-b')).rejects.toBeInstanceOf(DataKeyForgottenError);
  });

  it('remembers "forgotten" for good, and never caches "no key yet"', async () => {
    const keys = cache();
    await backing.forget('user-a');
    expect(await keys.isForgotten('user-a')).toBe(true);
    now = 10_000_000;
    const before = inner.calls;
    expect(await keys.get({ streamId: 'user-a' })).toBe('forgotten');
    expect(inner.calls).toBe(before);

    expect(await keys.get({ streamId: 'user-new' })).toBeNull();
    const created = await backing.getOrCreate('user-new');
    expect(await keys.get({ streamId: 'user-new' })).toMatchObject({ keyId: created.keyId });
  });

  it('does not cache what a lookup in flight at an eviction brings back (the key the forget deleted)', async () => {
    const keys = cache();
    const variants: [string, (stream: string) => Promise<unknown>][] = [
      ['user-a', (stream) => keys.get({ streamId: stream })],
      ['user-c', (stream) => keys.getMany([stream]).then((found) => found.get(stream))],
    ];
    for (const [stream, lookup] of variants) {
      await backing.getOrCreate(stream);
      const inFlight = lookup(stream); // reads the key before the forget below reaches the store
      keys.evict(stream); // the UserForgotten event of another process
      await backing.forget(stream);
      expect(await inFlight).toMatchObject({ keyId: expect.any(String) });
      expect(await keys.get({ streamId: stream })).toBe('forgotten');
    }
  });
});
