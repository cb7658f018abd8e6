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
});
