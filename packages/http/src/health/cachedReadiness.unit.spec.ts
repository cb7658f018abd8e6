import { cachedReadiness } from './cachedReadiness';

describe('cachedReadiness', () => {
  it('checks at most once per interval, and callers during a check share it', async () => {
    let now = 0;
    let checks = 0;
    let ready = true;
    const cached = cachedReadiness(
      async () => {
        checks++;
        return { ready, checks: { backend: ready ? 'ready' : 'down' } };
      },
      1000,
      () => now,
    );
    const answers = await Promise.all(Array.from({ length: 20 }, () => cached()));
    expect(checks).toBe(1);
    expect(answers.every((a) => a.ready)).toBe(true);
    ready = false;
    now = 999;
    expect((await cached()).ready).toBe(true);
    expect(checks).toBe(1);
    now = 1000;
    expect((await cached()).ready).toBe(false);
    expect(checks).toBe(2);
  });

  it('does not keep a check that failed', async () => {
    let calls = 0;
    const cached = cachedReadiness(
      async () => {
        if (++calls === 1) throw new Error('boom');
        return { ready: true, checks: {} };
      },
      1000,
      () => 0,
    );
    await expect(cached()).rejects.toThrow('boom');
    expect((await cached()).ready).toBe(true);
  });
});
