import { ErrorKind, type EventLog } from '@eventfold/core';
import type { PersonalDataCodec } from '@eventfold/crypto';
import { createLogger } from '@eventfold/observability';
import type { CommandResult } from '../processing/commandResult';
import { CommandResults } from './commandResults';

// Which waiting request a result answers. The results topic is not read here (a log that delivers nothing): results
// come in as the partition owner hands them over, and as a late read-back of the topic would deliver them again.
async function results(): Promise<CommandResults> {
  const log = { consume: async () => ({ joined: true, stop: async () => undefined }) };
  return CommandResults.start({
    log: log as unknown as EventLog,
    topic: 'users.command-results',
    codec: {} as PersonalDataCodec,
    logger: createLogger('test', 'silent'),
    groupPrefix: 'test',
  });
}

const result = (commandType: string, outcome: CommandResult['outcome']): CommandResult => ({
  commandId: '0b6c8a52-7c1e-8d3f-9a4b-5e6f7a8b9c0d',
  streamId: 'user-1',
  commandType,
  outcome,
  version: 2,
  eventCount: outcome === 'succeeded' ? 1 : 0,
  consistencyToken: null,
  error:
    outcome === 'succeeded'
      ? null
      : { kind: ErrorKind.IllegalState, code: 'IDEMPOTENCY_KEY_REUSED', message: 'reused' },
  completedAt: 0,
});

describe('CommandResults', () => {
  const ids = { streamId: 'user-1', commandId: '0b6c8a52-7c1e-8d3f-9a4b-5e6f7a8b9c0d' };

  it("never answers a forget that reused a rename's key with the rename's result read back late", async () => {
    const r = await results();
    const forget = r.waitFor({ ...ids, commandType: 'ForgetUser' }, 1000);
    r.committed([result('ChangeUserName', 'succeeded')]); // the rename's result, read back from the topic
    r.committed([result('ForgetUser', 'rejected')]); // the forget's own answer: refused, nothing erased
    expect(await forget.result).toMatchObject({ commandType: 'ForgetUser', outcome: 'rejected' });
    await r.stop();
  });

  it("answers a rename's retry with the rename's result, not with the refusal of a forget under its key", async () => {
    const r = await results();
    const retry = r.waitFor({ ...ids, commandType: 'ChangeUserName' }, 1000);
    r.committed([result('ForgetUser', 'rejected')]);
    r.committed([result('ChangeUserName', 'succeeded')]);
    expect(await retry.result).toMatchObject({ commandType: 'ChangeUserName', outcome: 'succeeded' });
    await r.stop();
  });

  it('answers null once the wait is over without a result of its own', async () => {
    const r = await results();
    const waiting = r.waitFor({ ...ids, commandType: 'ForgetUser' }, 50);
    r.committed([result('ChangeUserName', 'succeeded')]);
    expect(await waiting.result).toBeNull();
    await r.stop();
  });
});
