import { InfrastructureError } from '../errors/errors';
import { connectWithRetry } from './connectWithRetry';

/** A start-up whose connect fails with `failures`, in turn, then connects; what happened, in order. */
async function startUp(failures: Error[]) {
  const happened: string[] = [];
  let calls = 0;
  await connectWithRetry({
    connect: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      happened.push('connected');
    },
    cleanUp: async () => void happened.push('cleaned up'),
    onAttemptFailed: (error, attempt) =>
      happened.push(`attempt ${attempt} failed: ${(error as Error).message}`),
    onFatal: (error) => happened.push(`fatal: ${(error as Error).message}`),
    isStopped: () => false,
    maxDelayMs: 1,
  });
  return happened;
}

describe('connectWithRetry', () => {
  it('waits out a dependency whose error carries no retriable flag (a driver not connected yet)', async () => {
    expect(await startUp([new Error('connect ECONNREFUSED')])).toEqual([
      'attempt 1 failed: connect ECONNREFUSED',
      'cleaned up',
      'connected',
    ]);
  });

  it('stops at an error marked not retriable, after cleaning up', async () => {
    const wrongKey = new InfrastructureError('MASTER_KEY_WRONG', 'wrong master key', { retriable: false });
    expect(await startUp([wrongKey])).toEqual([
      'attempt 1 failed: wrong master key',
      'cleaned up',
      'fatal: wrong master key',
    ]);
  });
});
