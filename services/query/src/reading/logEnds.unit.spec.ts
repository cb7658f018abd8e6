import { LogEnds } from './logEnds';

describe('LogEnds', () => {
  it('tells a position the log has from a partition it lacks and an offset at or past the end', async () => {
    const ends = new LogEnds(async () => [5n, 0n, 12n], 1000);
    expect(await ends.reach(0, 4n)).toBe('reachable');
    expect(await ends.reach(0, 5n)).toBe('past-the-end');
    expect(await ends.reach(1, 0n)).toBe('past-the-end');
    expect(await ends.reach(2, 98012593n)).toBe('past-the-end');
    expect(await ends.reach(3, 0n)).toBe('no-such-partition');
    expect(await ends.reach(87644, 48n)).toBe('no-such-partition');
  });

  it('settles offsets below an end it read without asking again, and asks again for any other', async () => {
    let reads = 0;
    let end = 5n;
    const ends = new LogEnds(async () => {
      reads++;
      return [end];
    }, 1000);
    expect(await ends.reach(0, 7n)).toBe('past-the-end');
    expect(reads).toBe(1);
    expect(await ends.reach(0, 3n)).toBe('reachable');
    expect(reads).toBe(1);
    // A write extended the log after the last read: its token is judged on a new read, not refused.
    end = 8n;
    expect(await ends.reach(0, 7n)).toBe('reachable');
    expect(reads).toBe(2);
  });

  it('judges on a read that started after the question, sharing it between the callers waiting', async () => {
    const started: ((ends: bigint[]) => void)[] = [];
    const ends = new LogEnds(() => new Promise<bigint[]>((resolve) => started.push(resolve)), 1000);
    const early = ends.reach(0, 5n);
    await Promise.resolve();
    // A token written while the first read runs: it must not be judged by that read.
    const late = [ends.reach(0, 5n), ends.reach(0, 6n)];
    started[0]!([5n]);
    expect(await early).toBe('past-the-end');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(2);
    started[1]!([7n]);
    expect(await Promise.all(late)).toEqual(['reachable', 'reachable']);
  });

  it('answers unknown when the log fails or does not answer in time, and never refuses then', async () => {
    const failing = new LogEnds(async () => {
      throw new Error('broker down');
    }, 1000);
    expect(await failing.reach(0, 5n)).toBe('unknown');
    const silent = new LogEnds(() => new Promise<bigint[]>(() => undefined), 20);
    expect(await silent.reach(9, 0n)).toBe('unknown');
  });
});
