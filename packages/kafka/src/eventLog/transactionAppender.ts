import type { Admin, ProducerBatch, RecordMetadata } from 'kafkajs';
import {
  InfrastructureError,
  type AppendedRecord,
  type LogTransaction,
  type TopicRecords,
} from '@eventfold/core';
import { partitionForKey } from '@eventfold/core';
import { retryWhileTopicUnknown } from './metadataRetry';

/** A topic's partition count, as the partitioner needs it. */
export type PartitionCounts = (topic: string) => Promise<number>;

/** Partition counts read once per topic from the cluster. */
export function topicPartitionCounts(admin: Admin): PartitionCounts {
  const known = new Map<string, Promise<number>>();
  return (topic) => {
    let count = known.get(topic);
    if (!count) {
      count = retryWhileTopicUnknown(() => admin.fetchTopicMetadata({ topics: [topic] })).then(
        ({ topics }) => {
          const partitions = topics[0]?.partitions.length ?? 0;
          if (partitions === 0)
            throw new InfrastructureError('TOPIC_MISSING', `Topic ${topic} does not exist`, {
              retriable: true,
            });
          return partitions;
        },
      );
      count.catch(() => known.delete(topic));
      known.set(topic, count);
    }
    return count;
  };
}

let roundRobin = 0;

/**
 * Appends through kafkajs's sendBatch (a transaction or an idempotent producer): one produce request, partitions
 * chosen here with the Java-compatible murmur2 partitioner so that each record's offset is known from the base
 * offset of its partition's batch (records of one partition in one request are contiguous).
 */
export function transactionAppender(
  sender: { sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> },
  partitionCounts: PartitionCounts,
): LogTransaction {
  return {
    async append(batches: readonly TopicRecords[]): Promise<AppendedRecord[][]> {
      const placed = await Promise.all(
        batches.map(async ({ topic, records }) => {
          const count = records.some((r) => r.partition === undefined) ? await partitionCounts(topic) : 0;
          return records.map((r) => ({
            ...r,
            partition: r.partition ?? (r.key === null ? roundRobin++ % count : partitionForKey(r.key, count)),
          }));
        }),
      );
      const nonEmpty = batches
        .map((b, i) => ({ topic: b.topic, records: placed[i]! }))
        .filter((b) => b.records.length > 0);
      if (nonEmpty.length === 0) return batches.map(() => []);
      const metadata = await sender.sendBatch({
        acks: -1,
        topicMessages: nonEmpty.map(({ topic, records }) => ({
          topic,
          messages: records.map((r) => ({
            key: r.key,
            value: r.value,
            partition: r.partition,
            ...(r.headers ? { headers: { ...r.headers } } : {}),
          })),
        })),
      });
      const base = new Map(
        metadata.map((m) => [`${m.topicName}:${m.partition}`, BigInt(m.baseOffset ?? '-1')]),
      );
      const next = new Map<string, bigint>();
      return batches.map((batch, i) =>
        placed[i]!.map(({ partition }) => {
          const key = `${batch.topic}:${partition}`;
          const offset = next.get(key) ?? base.get(key);
          if (offset === undefined || offset < 0n)
            throw new InfrastructureError('APPEND_UNCONFIRMED', `No offset came back for ${key}`);
          next.set(key, offset + 1n);
          return { partition, offset: offset.toString() };
        }),
      );
    },
  };
}
