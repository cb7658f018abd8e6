import { newDataKey, type DataKey } from './dataKey';
import { KeyCreationBatches } from './keyCreationBatches';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyCreationBatches', () => {
  it('sends the streams of one tick together, once each, and those of a later tick in the next batch', async () => {
    const batches: string[][] = [];
    const creation = new KeyCreationBatches(async (ids) => {
      batches.push(ids);
      return new Map(ids.map((id) => [id, newDataKey(id)]));
    });
    const first = [creation.request('user-a'), creation.request('user-b'), creation.request('user-a')];
    await tick();
    const later = creation.request('user-c');
    const [a, b, again] = (await Promise.all(first)) as DataKey[];
    expect(batches).toEqual([['user-a', 'user-b']]);
    expect([a!.streamId, b!.streamId]).toEqual(['user-a', 'user-b']);
    expect(again).toBe(a);
    await later;
    expect(batches).toEqual([['user-a', 'user-b'], ['user-c']]);
  });

  it('rejects the waiters of a stream the store left out, and of a store call that threw at once', async () => {
    const left = new KeyCreationBatches(async () => new Map([['user-a', 'forgotten' as const]]));
    await expect(Promise.all([left.request('user-a'), left.request('user-b')])).rejects.toMatchObject({
      code: 'DATA_KEY_NOT_CONVERGED',
    });
    await expect(left.request('user-a')).resolves.toBe('forgotten');
    const thrown = new Error('no connection');
    const throwing = new KeyCreationBatches(() => {
      throw thrown;
    });
    await expect(throwing.request('user-a')).rejects.toBe(thrown);
  });
});
