// Checks patches/kafkajs@2.2.4.patch, second part: kafkajs 2.2.4's transactional producer looked its transaction
// coordinator up (a FindCoordinator round trip) before each AddPartitionsToTxn, AddOffsetsToTxn and EndTxn, and
// the group coordinator before each TxnOffsetCommit: four extra round trips per transaction, measured at 4 of
// every 9 requests of the command service under load. The patch keeps each coordinator, and forgets it when a
// request to it fails, as the Java client does.

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals, not part of its typed API */
const createEosManager = require('kafkajs/src/producer/eosManager');
const { createLogger, LEVELS } = require('kafkajs/src/loggers');
/* eslint-enable @typescript-eslint/no-require-imports */

function standInCluster() {
  const lookups: string[] = [];
  const requests: string[] = [];
  let failNext: string | null = null;
  const broker = new Proxy(
    {},
    {
      // Not a thenable: `await broker` must give the broker itself.
      get: (_target, name: string) =>
        name === 'then'
          ? undefined
          : async () => {
              requests.push(name);
              if (failNext === name) {
                failNext = null;
                throw Object.assign(new Error('This is not the correct coordinator.'), {
                  type: 'NOT_COORDINATOR',
                });
              }
              return name === 'initProducerId' ? { producerId: 7, producerEpoch: 1 } : {};
            },
    },
  );
  return {
    lookups,
    requests,
    failOnce: (request: string) => (failNext = request),
    cluster: {
      refreshMetadataIfNecessary: async () => undefined,
      findGroupCoordinator: async ({ groupId }: { groupId: string }) => {
        lookups.push(groupId);
        return broker;
      },
    },
  };
}

function eosManagerOn(cluster: unknown) {
  return createEosManager({
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined }),
    cluster,
    transactionTimeout: 30_000,
    transactional: true,
    transactionalId: 'owner-3',
  });
}

async function oneTransaction(eos: ReturnType<typeof eosManagerOn>, n: number) {
  eos.beginTransaction();
  await eos.addPartitionsToTransaction([{ topic: 'users.events', partitions: [{ partition: n }] }]);
  await eos.sendOffsets({
    consumerGroupId: 'command-processor.users',
    topics: [{ topic: 'users.commands', partitions: [{ partition: 3, offset: String(n) }] }],
  });
  await eos.commit();
}

describe('kafkajs transactional producer (patched): coordinators', () => {
  it('looks each coordinator up once for any number of transactions', async () => {
    const broker = standInCluster();
    const eos = eosManagerOn(broker.cluster);
    await eos.initProducerId();
    for (let n = 0; n < 5; n++) await oneTransaction(eos, n);
    expect(broker.lookups).toEqual(['owner-3', 'command-processor.users']);
    expect(broker.requests.filter((r) => r === 'endTxn')).toHaveLength(5);
  });

  it('looks the transaction coordinator up again after a request to it failed', async () => {
    const broker = standInCluster();
    const eos = eosManagerOn(broker.cluster);
    await eos.initProducerId();
    await oneTransaction(eos, 0);
    broker.failOnce('addPartitionsToTxn');
    await expect(oneTransaction(eos, 1)).rejects.toMatchObject({ type: 'NOT_COORDINATOR' });
    await eos.abort();
    await oneTransaction(eos, 2);
    await oneTransaction(eos, 3);
    expect(broker.lookups.filter((l) => l === 'owner-3')).toEqual(['owner-3', 'owner-3']);
  });
});
