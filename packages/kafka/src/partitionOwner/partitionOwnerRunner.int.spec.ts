import type { Admin, Kafka, Producer, Transaction } from 'kafkajs';
import { createLogger } from '@eventfold/observability';
import { createTestTopics, randomName, testEndpoints, waitFor } from '@eventfold/testing';
import { createKafka } from '../client/createKafka';
import { PartitionReader } from '../reading/partitionReader';
import { PartitionOwnerRunner } from './partitionOwnerRunner';

const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** The committed values of a one-partition topic, as a read_committed consumer sees them. */
async function committedValues(kafka: Kafka, topic: string): Promise<string[]> {
  const reader = await PartitionReader.start(kafka, [topic], logger, randomName('check'));
  try {
    const values: string[] = [];
    await reader.read(topic, 0, 0n, (m) => values.push(m.value!.toString()));
    return values;
  } finally {
    await reader.stop();
  }
}

describe('PartitionOwnerRunner on a real Kafka: a new owner fences the previous one before it reads anything', () => {
  const group = randomName('owner');
  const input = `${group}.in`;
  const output = `${group}.out`;
  let kafka: Kafka;
  let admin: Admin;
  let zombie: Producer;
  let runner: PartitionOwnerRunner<{ restoredFrom: string[] }> | null = null;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: group, logger });
    admin = kafka.admin();
    await admin.connect();
    await createTestTopics(admin, [input, output]);
  });
  afterAll(async () => {
    await runner?.stop();
    await zombie?.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("refuses the previous owner's late commit once the new owner restores, so what it restored stays true", async () => {
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: input, messages: [{ value: 'command-0' }] });
    await plain.disconnect();

    // The previous owner of partition 0 (same transactional id) has processed command-0 and is about to commit:
    // its output and the input offset are written, in a transaction still open (a broker restarting with it
    // prepared, or a commit still in flight, look the same to the next owner).
    zombie = kafka.producer({ transactionalId: `${group}-0`, idempotent: true, maxInFlightRequests: 1 });
    await zombie.connect();
    // On a freshly started broker the group's coordinator may still be loading (NOT_COORDINATOR, which kafkajs's
    // sendOffsets does not retry): the previous owner would have retried its transaction, and so does the test.
    const open: Transaction = await waitFor(
      async () => {
        const tx = await zombie.transaction();
        try {
          await tx.send({ topic: output, messages: [{ value: 'zombie:command-0' }] });
          await tx.sendOffsets({
            consumerGroupId: group,
            topics: [{ topic: input, partitions: [{ partition: 0, offset: '1' }] }],
          });
          return tx;
        } catch (error) {
          await tx.abort();
          throw error;
        }
      },
      { timeoutMs: 60_000, intervalMs: 500, description: "the previous owner's transaction to be open" },
    );

    // The zombie's commit lands while the new owner restores, after it has read the partition's state: it must be
    // refused, or command-0's effects would exist without the new owner knowing (and be written again).
    let zombieCommit: Promise<string> | null = null;
    runner = new PartitionOwnerRunner({
      kafka,
      groupId: group,
      inputTopic: input,
      transactionalIdPrefix: group,
      logger,
      onFatal: (error) => {
        throw error;
      },
      handler: {
        restore: async () => {
          const restoredFrom = await committedValues(kafka, output);
          zombieCommit ??= open.commit().then(
            () => 'committed',
            (error: Error) => `refused: ${error.message}`,
          );
          await zombieCommit;
          return { restoredFrom };
        },
        process: async (_partition, _state, messages, tx) => {
          await tx.append([
            {
              topic: output,
              records: messages.map((m) => ({ key: null, value: Buffer.from(`owner:${String(m.value)}`) })),
            },
          ]);
          return () => undefined;
        },
      },
    });
    await runner.start();
    await waitFor(async () => (await runner!.readiness()).ready, {
      timeoutMs: 60_000,
      description: 'the new owner to restore partition 0',
    });
    // Assigned in the restore callback: TypeScript narrows the `let` to its initial null here.
    expect(await (zombieCommit as Promise<string> | null)).toMatch(/^refused: /);
    await waitFor(async () => (await committedValues(kafka, output)).length > 0, {
      timeoutMs: 60_000,
      description: 'the new owner to process command-0',
    });
    expect(await committedValues(kafka, output)).toEqual(['owner:command-0']);
  });
});
