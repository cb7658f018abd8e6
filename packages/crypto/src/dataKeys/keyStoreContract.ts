// The behaviour every KeyStore must have, as a Jest test body to run against each implementation: in memory (unit
// tier), MongoDB (int tier), SQLite (embedded mode, packages/embedded/src/contracts.unit.spec.ts). Imported by
// path, never from the package index: it is test code. Usage: keyStoreContract('MongoDB', async () => ({ open, loseKeyCheck, close })).
import { randomBytes } from 'node:crypto';
import { CryptoErrorCode, DataKeyForgottenError, MasterKeyError } from '../errors';
import { masterKeyFromBytes, type MasterKey } from '../masterKey/masterKey';
import type { DataKey } from './dataKey';
import type { KeyStore } from './keyStore';

export interface KeyStoreContractSubject {
  /** A store over this subject's storage (fresh for each test); called several times, as separate processes would. */
  open(master: MasterKey): Promise<KeyStore>;
  /** Deletes the storage's key-check value, as damage or a careless restore would. */
  loseKeyCheck(): Promise<void>;
  close(): Promise<void>;
}

const uuid = () => randomBytes(16).toString('hex');
const streamId = () => `user-${uuid()}`;

export function keyStoreContract(name: string, subjectFor: () => Promise<KeyStoreContractSubject>): void {
  describe(`${name} key store (contract)`, () => {
    let subject: KeyStoreContractSubject;
    let master: MasterKey;
    let store: KeyStore;

    beforeEach(async () => {
      subject = await subjectFor();
      master = masterKeyFromBytes(randomBytes(32));
      store = await subject.open(master);
    });
    afterEach(() => subject.close());

    it('creates one 256-bit key per stream, named after the stream, and returns it again', async () => {
      const id = streamId();
      const first = await store.getOrCreate(id);
      const again = await store.getOrCreate(id);
      expect(first.streamId).toBe(id);
      expect(first.keyId.startsWith(`${id}#`)).toBe(true);
      expect(first.key.symmetricKeySize).toBe(32);
      expect(again.keyId).toBe(first.keyId);
      expect(again.key.equals(first.key)).toBe(true);
      const other = await store.getOrCreate(streamId());
      expect(other.key.equals(first.key)).toBe(false);
    });

    it('keeps keys across openings (another process sees the same key)', async () => {
      const id = streamId();
      const created = await store.getOrCreate(id);
      const reopened = await subject.open(master);
      const found = await reopened.get({ keyId: created.keyId });
      expect(found !== null && found !== 'forgotten' && found.key.equals(created.key)).toBe(true);
    });

    it('converges concurrent getOrCreate calls from several processes on one key per stream', async () => {
      const ids = Array.from({ length: 5 }, streamId);
      const stores = [store, await subject.open(master), await subject.open(master)];
      const keys = await Promise.all(
        ids.flatMap((id) => stores.flatMap((s) => Array.from({ length: 4 }, () => s.getOrCreate(id)))),
      );
      for (const id of ids) {
        const ofStream = keys.filter((k) => k.streamId === id);
        expect(ofStream).toHaveLength(12);
        expect(new Set(ofStream.map((k) => k.keyId)).size).toBe(1);
        expect(ofStream.every((k) => k.key.equals(ofStream[0]!.key))).toBe(true);
        const stored = await store.get({ streamId: id });
        expect(stored !== null && stored !== 'forgotten' && stored.keyId).toBe(ofStream[0]!.keyId);
      }
    });

    it('creates the keys of many streams in one call, one per stream, and finds them again', async () => {
      const ids = Array.from({ length: 6 }, streamId);
      const created = await store.getOrCreateMany([...ids, ids[0]!]);
      expect([...created.keys()].sort()).toEqual([...ids].sort());
      const keys = ids.map((id) => created.get(id) as DataKey);
      expect(keys.map((k) => k.streamId)).toEqual(ids);
      expect(keys.every((k, n) => k.keyId.startsWith(`${ids[n]}#`) && k.key.symmetricKeySize === 32)).toBe(
        true,
      );
      expect(new Set(keys.map((k) => k.key.export().toString('hex'))).size).toBe(ids.length);
      const elsewhere = await subject.open(master);
      for (const key of keys) {
        const again = await elsewhere.getOrCreate(key.streamId);
        expect(again.keyId).toBe(key.keyId);
        expect(again.key.equals(key.key)).toBe(true);
      }
      expect((await store.getOrCreateMany([])).size).toBe(0);
    });

    it('returns the keys streams already have, unchanged, and reports forgotten streams', async () => {
      const [kept, forgotten, never, fresh] = [streamId(), streamId(), streamId(), streamId()];
      const existing = await store.getOrCreate(kept);
      await store.getOrCreate(forgotten);
      await store.forget(forgotten);
      await store.forget(never);
      const found = await (await subject.open(master)).getOrCreateMany([kept, forgotten, never, fresh]);
      const key = found.get(kept);
      expect(key !== undefined && key !== 'forgotten' && key.keyId === existing.keyId).toBe(true);
      expect(key !== undefined && key !== 'forgotten' && key.key.equals(existing.key)).toBe(true);
      expect(found.get(forgotten)).toBe('forgotten');
      expect(found.get(never)).toBe('forgotten');
      expect(found.get(fresh)).toMatchObject({ streamId: fresh });
      // No key came back for the forgotten ones.
      expect(await store.get({ streamId: forgotten })).toBe('forgotten');
      expect(await store.get({ streamId: never })).toBe('forgotten');
    });

    it('converges concurrent getOrCreate and getOrCreateMany calls from several processes on one key per stream', async () => {
      const ids = Array.from({ length: 8 }, streamId);
      const stores = [store, await subject.open(master), await subject.open(master)];
      // Overlapping batches (each stream in two or three of them, in different orders) and single calls.
      const batches = [ids, ids.slice(0, 5).reverse(), ids.slice(3), ids.filter((_, n) => n % 2 === 0)];
      const results = await Promise.all([
        ...stores.flatMap((s) => batches.map((batch) => s.getOrCreateMany(batch))),
        ...stores.flatMap((s) => ids.map(async (id) => new Map([[id, await s.getOrCreate(id)]]))),
      ]);
      for (const id of ids) {
        const ofStream = results.flatMap((found) => {
          const key = found.get(id);
          return key === undefined ? [] : [key];
        });
        expect(ofStream.length).toBeGreaterThanOrEqual(stores.length * 3);
        expect(ofStream.every((k) => k !== 'forgotten')).toBe(true);
        const keys = ofStream as DataKey[];
        expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
        expect(keys.every((k) => k.key.equals(keys[0]!.key))).toBe(true);
        const stored = await store.get({ streamId: id });
        expect(stored !== null && stored !== 'forgotten' && stored.keyId).toBe(keys[0]!.keyId);
      }
    });

    it('ends forgotten when a forget races with getOrCreate', async () => {
      const id = streamId();
      const elsewhere = await subject.open(master);
      await Promise.allSettled([store.getOrCreate(id), elsewhere.forget(id), store.getOrCreate(id)]);
      expect(await store.isForgotten(id)).toBe(true);
      expect(await elsewhere.get({ streamId: id })).toBe('forgotten');
      await expect(store.getOrCreate(id)).rejects.toBeInstanceOf(DataKeyForgottenError);
    });

    it('finds a key by key id or by stream, and nothing for a key it never had', async () => {
      const id = streamId();
      const created = await store.getOrCreate(id);
      for (const ref of [{ keyId: created.keyId }, { streamId: id }]) {
        const found = await store.get(ref);
        expect(found !== null && found !== 'forgotten' && found.keyId === created.keyId).toBe(true);
      }
      expect(await store.get({ streamId: streamId() })).toBeNull();
      expect(await store.get({ keyId: `${id}#notthekey` })).toBeNull();
      expect(await store.get({ keyId: 'not-a-key-id' })).toBeNull();
      expect(await store.isForgotten(id)).toBe(false);
    });

    it('finds the keys of many streams in one call: keys, tombstones, and nothing for streams without one', async () => {
      const [kept, forgotten, never] = [streamId(), streamId(), streamId()];
      const created = await store.getOrCreate(kept);
      await store.getOrCreate(forgotten);
      await store.forget(forgotten);
      const found = await (await subject.open(master)).getMany([kept, forgotten, never, kept]);
      expect([...found.keys()].sort()).toEqual([kept, forgotten].sort());
      const key = found.get(kept);
      expect(key !== undefined && key !== 'forgotten' && key.key.equals(created.key)).toBe(true);
      expect(found.get(forgotten)).toBe('forgotten');
      expect((await store.getMany([])).size).toBe(0);
      // A bigger batch (stores may read few streams and many streams differently).
      const many = Array.from({ length: 20 }, streamId);
      const keys = await Promise.all(many.map((id) => store.getOrCreate(id)));
      const all = await store.getMany([...many, never, forgotten]);
      expect(all.size).toBe(21);
      expect(many.every((id, n) => (all.get(id) as { keyId?: string }).keyId === keys[n]!.keyId)).toBe(true);
      expect(all.get(forgotten)).toBe('forgotten');
    });

    it('forgets a key for good, keeps a tombstone, and forgetting twice is harmless', async () => {
      const id = streamId();
      const created = await store.getOrCreate(id);
      expect(await store.forget(id)).toEqual({ alreadyForgotten: false, hadKey: true });
      const elsewhere = await subject.open(master);
      for (const s of [store, elsewhere]) {
        expect(await s.get({ keyId: created.keyId })).toBe('forgotten');
        expect(await s.get({ streamId: id })).toBe('forgotten');
        expect(await s.isForgotten(id)).toBe(true);
        await expect(s.getOrCreate(id)).rejects.toBeInstanceOf(DataKeyForgottenError);
      }
      expect(await elsewhere.forget(id)).toEqual({ alreadyForgotten: true, hadKey: false });
      expect(await store.get({ streamId: id })).toBe('forgotten');
    });

    it('forgets a stream that never had a key, so that none is created for it later', async () => {
      const id = streamId();
      expect(await store.forget(id)).toEqual({ alreadyForgotten: false, hadKey: false });
      expect(await store.isForgotten(id)).toBe(true);
      await expect(store.getOrCreate(id)).rejects.toBeInstanceOf(DataKeyForgottenError);
    });

    it('refuses to open with another master key, saying so in one line without the key', async () => {
      await store.getOrCreate(streamId());
      const wrongBytes = randomBytes(32);
      const error = await subject.open(masterKeyFromBytes(wrongBytes)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MasterKeyError);
      expect((error as MasterKeyError).code).toBe(CryptoErrorCode.MasterKeyWrong);
      expect((error as MasterKeyError).retriable).toBe(false);
      const message = (error as Error).message;
      expect(message).toMatch(/^KEY_ENCRYPTION_KEY is not the master key of .+/);
      expect(message).not.toContain('\n');
      for (const encoding of ['hex', 'base64', 'base64url'] as const)
        expect(message).not.toContain(wrongBytes.toString(encoding));
    });

    it('refuses another master key even when the key check is lost, by the data keys already there', async () => {
      await store.getOrCreate(streamId());
      await subject.loseKeyCheck();
      await expect(subject.open(masterKeyFromBytes(randomBytes(32)))).rejects.toMatchObject({
        code: CryptoErrorCode.MasterKeyWrong,
      });
      // The right key rewrites the check and opens.
      await expect(subject.open(master)).resolves.toBeDefined();
      await expect(subject.open(masterKeyFromBytes(randomBytes(32)))).rejects.toBeInstanceOf(MasterKeyError);
    });
  });
}
