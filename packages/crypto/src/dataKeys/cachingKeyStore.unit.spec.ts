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
  get(ref: KeyRef) {
    this.calls++;
    return this.inner.get(ref);
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
