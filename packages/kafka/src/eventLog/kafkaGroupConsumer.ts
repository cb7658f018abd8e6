import type { Kafka } from 'kafkajs';
import type { GroupConsumer, GroupConsumerOptions } from '@eventfold/core';
import type { Logger } from '@eventfold/observability';

/** A kafkajs consumer group behind the port: batches per partition, explicit commits, read_committed. */
export async function kafkaGroupConsumer(
  kafka: Kafka,
  o: GroupConsumerOptions,
  logger: Logger,
): Promise<GroupConsumer> {
  const sessionTimeout = o.sessionTimeoutMs ?? 10_000;
  const consumer = kafka.consumer({
    groupId: o.groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 50,
    sessionTimeout,
    heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
    retry: { retries: 8 },
  });
  let joined = false;
  let stopping = false;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    o.onJoin?.(payload.memberAssignment[o.topic] ?? []);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    logger.error({ err: payload.error, restart: payload.restart, group: o.groupId }, 'consumer crashed');
    if (!stopping) o.onCrash?.(payload.error, payload.restart);
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: o.topic, fromBeginning: o.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: o.committing === false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 12,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        commitOffsetsIfNecessary,
        isRunning,
        isStale,
      }) => {
        await o.eachBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            records: batch.messages,
            highWatermark: batch.highWatermark,
          },
          {
            isActive: () => isRunning() && !isStale() && !stopping,
            heartbeat,
            commit: async (offset) => {
              resolveOffset(offset);
              await commitOffsetsIfNecessary({
                topics: [
                  {
                    topic: batch.topic,
                    partitions: [{ partition: batch.partition, offset: (BigInt(offset) + 1n).toString() }],
                  },
                ],
              });
            },
          },
        );
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return {
    get joined() {
      return joined;
    },
    async stop() {
      stopping = true;
      joined = false;
      await consumer.disconnect().catch(() => undefined);
    },
  };
}
