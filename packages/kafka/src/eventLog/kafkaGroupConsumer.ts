import type { Kafka } from 'kafkajs';
import { withDeadline, type GroupConsumer, type GroupConsumerOptions } from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import { IDLE_FETCH_WAIT_MS } from '../client/fetchWait';

/** The longest wait for a heartbeat or an offset commit (kafkajs's request timeout). */
const CALL_TIMEOUT_MS = 30_000;

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
    maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
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
            // Bounded: kafkajs can leave a request unanswered for good after a connection reset, and a batch
            // that never returns keeps the consumer out of its group for good. A failure here fails the batch,
            // which kafkajs fetches again (the offset was not committed).
            heartbeat: () => withDeadline(heartbeat(), CALL_TIMEOUT_MS, 'a heartbeat'),
            commit: async (offset) => {
              resolveOffset(offset);
              await withDeadline(
                commitOffsetsIfNecessary({
                  topics: [
                    {
                      topic: batch.topic,
                      partitions: [{ partition: batch.partition, offset: (BigInt(offset) + 1n).toString() }],
                    },
                  ],
                }),
                CALL_TIMEOUT_MS,
                `the offset commit of ${batch.topic}[${batch.partition}]`,
              );
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
