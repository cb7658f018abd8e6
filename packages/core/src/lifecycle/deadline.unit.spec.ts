import { isRetriable } from '../errors/errors';
import { DeadlineExceededError, withDeadline } from './deadline';

describe('withDeadline', () => {
  it('passes through what settles in time, value or failure', async () => {
    await expect(withDeadline(Promise.resolve(42), 50, 'the answer')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('refused')), 50, 'the call')).rejects.toThrow(
      'refused',
    );
  });

  it('gives up on a call that never settles with a retriable error naming it', async () => {
    const error = await withDeadline(new Promise(() => undefined), 20, 'the commit').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe('the commit did not settle within 20 ms');
    expect(isRetriable(error)).toBe(true);
  });

  it('leaves no unhandled rejection behind when the abandoned call fails later', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 30));
      await expect(withDeadline(late, 5, 'the send')).rejects.toBeInstanceOf(DeadlineExceededError);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
