import { ErrorKind, type EventLog, type GroupConsumerOptions, type LogRecord } from '@eventfold/core';
import type { PersonalDataCodec } from '@eventfold/crypto';
import { createLogger } from '@eventfold/observability';
import type { CommandResult } from '../processing/commandResult';
import { resultToRecord } from '../processing/wire';
import { CommandResults } from './commandResults';

// Which waiting request a result answers. Results come in as the partition owner hands them over (committed), and
// as the results topic delivers them (readBack: a stand-in for the log, whose records carry the decoded value).
let readBack: (result: CommandResult) => Promise<void> = async () => undefined;

async function results(): Promise<CommandResults> {
  const log = {
    consume: async (o: GroupConsumerOptions) => {
      readBack = (result) =>
        o.eachBatch(
          {
            topic: 'users.command-results',
            partition: 0,
            records: [{ offset: '0', value: resultToRecord(result) } as unknown as LogRecord],
            highWatermark: '1',
          },
          { isActive: () => true, heartbeat: async () => undefined, commit: async () => undefined },
        );
      return { joined: true, stop: async () => undefined };
    },
  };
  const codec = {
    prefetchKeys: async () => undefined,
    decode: async (value: unknown) => ({ value }),
  };
  return CommandResults.start({
    log: log as unknown as EventLog,
    topic: 'users.command-results',
    codec: codec as unknown as PersonalDataCodec,
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

  it('answers a retry with its own decision, not with the read-back of the result its owner handed over before', async () => {
    const r = await results();
    const first = { ...result('RegisterUser', 'succeeded'), completedAt: 1000 };
    r.committed([first]);
    // A registration repeated after the idempotency window, sent before the first result came back from the topic.
    const late = r.waitFor({ ...ids, commandType: 'RegisterUser' }, 1000);
    await readBack(first);
    const taken = { ...result('RegisterUser', 'rejected'), completedAt: 5000 };
    r.committed([taken]);
    expect(await late.result).toEqual(taken);
    expect(r.find(ids.commandId)).toEqual(taken);
    await r.stop();
  });

  it("delivers another instance's results as they are read back", async () => {
    const r = await results();
    const waiting = r.waitFor({ ...ids, commandType: 'ChangeUserName' }, 1000);
    await readBack(result('ChangeUserName', 'succeeded'));
    expect(await waiting.result).toMatchObject({ commandType: 'ChangeUserName', outcome: 'succeeded' });
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
