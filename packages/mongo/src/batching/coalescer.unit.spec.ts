import { Coalescer } from './coalescer';

/** A commit that holds each call until released, recording what every call wrote. */
function heldCommit(fail: (items: readonly string[]) => boolean = () => false) {
  const calls: string[][] = [];
  const releases: (() => void)[] = [];
  const commit = (items: readonly string[]) => {
    calls.push([...items]);
    return new Promise<number>((resolve, reject) =>
      releases.push(() =>
        fail(items) ? reject(new Error(`refused ${items.join(',')}`)) : resolve(calls.length),
      ),
    );
  };
  const releaseNext = async () => {
    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { calls, commit, releaseNext };
}

describe('Coalescer', () => {
  it('runs a lone submission at once', async () => {
    const held = heldCommit();
    const group = new Coalescer(held.commit);
    const done = group.submit('a');
    expect(held.calls).toEqual([['a']]);
    await held.releaseNext();
    await expect(done).resolves.toBe(1);
  });

  it('runs what arrives meanwhile together, in one next round trip', async () => {
    const held = heldCommit();
    const group = new Coalescer(held.commit);
    const first = group.submit('a');
    const rest = ['b', 'c', 'd'].map((item) => group.submit(item));
    expect(held.calls).toEqual([['a']]);
    await held.releaseNext();
    expect(held.calls).toEqual([['a'], ['b', 'c', 'd']]);
    await held.releaseNext();
    await expect(first).resolves.toBe(1);
    await expect(Promise.all(rest)).resolves.toEqual([2, 2, 2]);
  });

  it('keeps a failure with the member that caused it', async () => {
    const held = heldCommit((items) => items.includes('bad'));
    const group = new Coalescer(held.commit);
    const first = group.submit('a');
    const good = group.submit('b');
    const bad = expect(group.submit('bad')).rejects.toThrow('refused bad');
    await held.releaseNext(); // a
    await held.releaseNext(); // b + bad: refused
    await held.releaseNext(); // b alone
    await held.releaseNext(); // bad alone
    expect(held.calls).toEqual([['a'], ['b', 'bad'], ['b'], ['bad']]);
    await expect(first).resolves.toBe(1);
    await expect(good).resolves.toBe(3);
    await bad;
  });

  it('rejects a lone failed submission and goes on with the next', async () => {
    const held = heldCommit((items) => items.includes('bad'));
    const group = new Coalescer(held.commit);
    const bad = expect(group.submit('bad')).rejects.toThrow('refused bad');
    await held.releaseNext();
    await bad;
    const next = group.submit('c');
    await held.releaseNext();
    await expect(next).resolves.toBe(2);
  });
});
