import type { Admin, ProducerBatch, RecordMetadata } from 'kafkajs';
import {
  appendInTurn,
  InfrastructureError,
  partitionForKey,
  type AppendedRecord,
  type LogTransaction,
  type OutgoingRecord,
  type TopicRecords,
} from '@eventfold/core';
import { retryWhileTopicUnknown } from './metadataRetry';
import type { OffsetPredictions } from './offsetPredictions';

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

type Placed = { readonly topic: string; readonly records: (OutgoingRecord & { partition: number })[] };

/** Each record's partition: its own, else the Java-compatible murmur2 partitioner's (round robin without a key). */
async function place(batches: readonly TopicRecords[], partitionCounts: PartitionCounts): Promise<Placed[]> {
  return Promise.all(
    batches.map(async ({ topic, records }) => {
      const count = records.some((r) => r.partition === undefined) ? await partitionCounts(topic) : 0;
      return {
        topic,
        records: records.map((r) => ({
          ...r,
          partition: r.partition ?? (r.key === null ? roundRobin++ % count : partitionForKey(r.key, count)),
        })),
      };
    }),
  );
}

/**
 * Where each record of `batches` lands, from the first offset of each of its partitions (records follow in order),
 * or null when the first offset of one of them is not known.
 */
function landedFrom(
  batches: readonly Placed[],
  first: (topic: string, partition: number) => bigint | undefined,
): AppendedRecord[][] | null {
  const next = new Map<string, bigint>();
  const landed: AppendedRecord[][] = [];
  for (const { topic, records } of batches) {
    const batch: AppendedRecord[] = [];
    for (const { partition } of records) {
      const key = `${topic}:${partition}`;
      const offset = next.get(key) ?? first(topic, partition);
      if (offset === undefined || offset < 0n) return null;
      next.set(key, offset + 1n);
      batch.push({ partition, offset: offset.toString() });
    }
    landed.push(batch);
  }
  return landed;
}

/**
 * Appends through kafkajs's sendBatch (a transaction or an idempotent producer): one produce request, partitions
 * chosen here with the Java-compatible murmur2 partitioner so that each record's offset is known from the base
 * offset of its partition's batch (records of one partition in one request are contiguous). With `predictions` (a
 * partition owner's, inside its transactions), `appendThen` sends both parts in one request once the owner knows
 * where its partitions end, and checks the answer: a wrong guess fails the transaction (retriable), never a record.
 */
export function transactionAppender(
  sender: { sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> },
  partitionCounts: PartitionCounts,
  predictions?: OffsetPredictions,
  /** What must have settled before the first request (the transaction's offsets, still in flight). */
  before?: Promise<unknown>,
): LogTransaction {
  const send = async (placed: readonly Placed[]): Promise<AppendedRecord[][]> => {
    const nonEmpty = placed.filter((b) => b.records.length > 0);
    if (nonEmpty.length === 0) return placed.map(() => []);
    await before;
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
    const landed = landedFrom(placed, (topic, partition) => base.get(`${topic}:${partition}`));
    if (landed === null)
      throw new InfrastructureError(
        'APPEND_UNCONFIRMED',
        'Kafka did not answer the offset of every partition',
      );
    if (predictions) {
      const counts = new Map<string, { topic: string; partition: number; count: number }>();
      for (const { topic, records } of placed)
        for (const { partition } of records) {
          const key = `${topic}:${partition}`;
          const entry = counts.get(key) ?? { topic, partition, count: 0 };
          entry.count++;
          counts.set(key, entry);
        }
      for (const [key, { topic, partition, count }] of counts)
        predictions.appended(topic, partition, base.get(key)!, count);
    }
    return landed;
  };
  const append = async (batches: readonly TopicRecords[]) => send(await place(batches, partitionCounts));

  return {
    append,
    async appendThen(first, then) {
      const placedFirst = await place(first, partitionCounts);
      const predicted = predictions
        ? landedFrom(placedFirst, (topic, partition) => predictions.predict(topic, partition))
        : null;
      // A partition this owner has not written yet: ask Kafka where the first part lands, then send the rest.
      if (predicted === null) return appendInTurn(append, first, then);
      const placedThen = await place(await then(predicted), partitionCounts);
      const landed = await send([...placedFirst, ...placedThen]);
      const landedFirst = landed.slice(0, placedFirst.length);
      if (JSON.stringify(landedFirst) !== JSON.stringify(predicted))
        throw new InfrastructureError(
          'APPEND_OFFSETS_MISPREDICTED',
          'Records landed elsewhere than their partition owner predicted: the transaction is retried',
        );
      return { first: landedFirst, then: landed.slice(placedFirst.length) };
    },
  };
}
