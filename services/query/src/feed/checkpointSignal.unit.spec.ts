import { CheckpointSignal } from './checkpointSignal';

describe('CheckpointSignal', () => {
  it('wakes a follower when a checkpoint moves after the generation it noted, and stops polling without followers', async () => {
    let checkpoints = new Map([[0, 5n]]);
    let polls = 0;
    const signal = new CheckpointSignal(
      () => ({
        readCheckpoints: async () => {
          polls++;
          return checkpoints;
        },
      }),
      5,
      () => undefined,
    );
    const unfollow = signal.follow();
    const stop = new AbortController();
    // The first poll after a start is a change: a follower that read before it hears of it.
    await signal.changedSince(null, 0, 5000, stop.signal);
    const noted = signal.generation();
    const woken = signal.changedSince(null, noted, 5000, stop.signal).then(() => signal.generation());
    checkpoints = new Map([[0, 6n]]);
    expect(await woken).toBe(noted + 1);
    unfollow();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const after = polls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(polls).toBe(after);
  });

  it('returns after the timeout, or at once when stopped, when nothing moves', async () => {
    const signal = new CheckpointSignal(
      () => ({ readCheckpoints: async () => new Map() }),
      5,
      () => undefined,
    );
    const unfollow = signal.follow();
    await signal.changedSince(null, 0, 5000, new AbortController().signal);
    const started = Date.now();
    await signal.changedSince(null, signal.generation(), 50, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const stop = new AbortController();
    stop.abort();
    await signal.changedSince(null, signal.generation(), 60_000, stop.signal);
    unfollow();
  });

  it('wakes a follower of partition 1 when partition 1 moves, not when partition 0 does', async () => {
    let checkpoints = new Map([
      [0, 5n],
      [1, 7n],
    ]);
    const signal = new CheckpointSignal(
      () => ({ readCheckpoints: async () => checkpoints }),
      5,
      () => undefined,
    );
    const unfollow = signal.follow();
    const stop = new AbortController();
    await signal.changedSince(1, 0, 5000, stop.signal);
    let woken = false;
    const waiting = signal
      .changedSince(1, signal.generation(1), 5000, stop.signal)
      .then(() => (woken = true));
    checkpoints = new Map([
      [0, 6n],
      [1, 7n],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woken).toBe(false);
    checkpoints = new Map([
      [0, 6n],
      [1, 8n],
    ]);
    await waiting;
    expect(woken).toBe(true);
    unfollow();
  });
});
