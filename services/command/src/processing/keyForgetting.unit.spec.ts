import {
  EnvelopeKeyStore,
  generateMasterKey,
  InMemoryKeyRecords,
  parseMasterKey,
  type KeyStore,
} from '@eventfold/crypto';
import { ERASED } from '@eventfold/core';
import { KeyForgetting } from './keyForgetting';
import { emptyStream, type StreamRecord } from './streamRecord';

/** A key store whose `forget` fails while `down` is true: the key store unreachable right after a commit. */
async function flakyStore() {
  const inner = await EnvelopeKeyStore.open(new InMemoryKeyRecords(), parseMasterKey(generateMasterKey()));
  const control = { down: false };
  const store: KeyStore = {
    getOrCreate: (id) => inner.getOrCreate(id),
    getOrCreateMany: (ids) => inner.getOrCreateMany(ids),
    get: (ref) => inner.get(ref),
    getMany: (ids) => inner.getMany(ids),
    isForgotten: (id) => inner.isForgotten(id),
    forget: async (id) => {
      if (control.down) throw new Error('key store unreachable');
      return inner.forget(id);
    },
  };
  return { store, control };
}

const forgottenStream = (streamId: string): StreamRecord => ({
  ...emptyStream(streamId, 0),
  version: 4,
  state: { status: 'active', userId: 'u', name: ERASED, email: ERASED, locale: null, forgotten: true },
});

describe('KeyForgetting', () => {
  it('deletes the keys of users forgotten by a committed batch before the next batch goes on', async () => {
    const { store } = await flakyStore();
    await store.getOrCreate('user-a');
    const forgetting = new KeyForgetting(store);
    forgetting.start(['user-a']);
    await forgetting.drain();
    expect(await store.isForgotten('user-a')).toBe(true);
  });

  it('retries a deletion that failed, and fails the next batch while the key store stays away', async () => {
    const { store, control } = await flakyStore();
    await store.getOrCreate('user-b');
    const forgetting = new KeyForgetting(store);
    control.down = true;
    forgetting.start(['user-b']);
    await expect(forgetting.drain()).rejects.toThrow('Could not delete the data keys of 1 forgotten users');
    expect(await store.isForgotten('user-b')).toBe(false);
    control.down = false;
    await forgetting.drain();
    expect(await store.isForgotten('user-b')).toBe(true);
  });

  it('on restore, deletes the key a crash left behind for a stream whose state is forgotten', async () => {
    const { store } = await flakyStore();
    await store.getOrCreate('user-c');
    await store.getOrCreate('user-d');
    await new KeyForgetting(store).settle([forgottenStream('user-c')]);
    expect(await store.isForgotten('user-c')).toBe(true);
    expect(await store.isForgotten('user-d')).toBe(false);
  });
});
