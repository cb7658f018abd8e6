import type { AnyBulkWriteOperation, Db } from 'mongodb';
import {
  confluentSchemaRegistry,
  fromUserEventRecord,
  loadSchemaCatalog,
  userEventCodec,
} from '@eventfold/avro';
import {
  documentOfView,
  historyDocument,
  MAX_UPDATES_PER_COMMAND,
  readModelCollections,
  serialised,
  ShardSet,
  type UserDocument,
  type UserEventDocument,
} from '@eventfold/mongo';
import { testEndpoints, waitFor } from '@eventfold/testing';
import { userViewProjection, type UserView } from '@eventfold/users-domain';
import type { Kafka } from 'kafkajs';
import { benchKafka } from '../stack/benchKafka';

interface Precomputed {
  readonly streamId: string;
  readonly history: UserEventDocument;
  /** The user document as it is after this event. */
  readonly user: UserDocument | null;
}

/** Reads the whole events topic once, and computes every document the read model will hold, by partition and offset. */
export async function precomputeDocuments(options: {
  topic: string;
  groupId: string;
  events: number;
}): Promise<Map<string, Precomputed>> {
  const kafka = benchKafka('bench-precompute');
  const codec = await userEventCodec(
    confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
    loadSchemaCatalog(),
    {
      topic: options.topic,
    },
  );
  const docs = new Map<string, Precomputed>();
  const views = new Map<string, UserView>();
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const decoded = await codec.decode(message.value, {
          topic: options.topic,
          partition: batch.partition,
          offset: message.offset,
        });
        const event = fromUserEventRecord(decoded.record, decoded.value);
        const { streamId } = event.metadata;
        const view = userViewProjection.evolve(views.get(streamId) ?? userViewProjection.initial(), event);
        views.set(streamId, view);
        const lastEvent = { partition: batch.partition, offset: message.offset };
        docs.set(`${batch.partition}:${message.offset}`, {
          streamId,
          history: historyDocument(event, batch.partition, message.offset, Number(message.timestamp)),
          user: view.status === 'none' ? null : documentOfView(streamId, view, lastEvent),
        });
      }
    },
  });
  try {
    await waitFor(() => docs.size >= options.events, {
      timeoutMs: 300_000,
      description: 'every event to be read once',
    });
  } finally {
    await consumer.disconnect();
  }
  return docs;
}

/**
 * The raw side of the projection benchmarks: a kafkajs consumer's eachBatch plus bulk writes of precomputed
 * documents into the same shards (history inserted in one command; user documents upserted in chunks of
 * MAX_UPDATES_PER_COMMAND, one chunk at a time per shard, as FerretDB needs). No decoding, no lookups, no guard.
 */
export async function runRawProjectionLoop(options: {
  topic: string;
  groupId: string;
  database: string;
  docs: ReadonlyMap<string, Precomputed>;
}): Promise<{ stop(): Promise<void> }> {
  const kafka: Kafka = benchKafka('bench-raw-loop');
  const shards = await ShardSet.connect(testEndpoints().mongoShards, options.database);
  const names = readModelCollections(1);
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  const write = async (db: Db, history: UserEventDocument[], users: Map<string, UserDocument>) => {
    if (history.length > 0)
      await db.collection<UserEventDocument>(names.events).insertMany(history, { ordered: false });
    const upserts = [...users.values()].map((doc): AnyBulkWriteOperation<UserDocument> => ({
      replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
    }));
    for (let i = 0; i < upserts.length; i += MAX_UPDATES_PER_COMMAND)
      await db
        .collection<UserDocument>(names.users)
        .bulkWrite(upserts.slice(i, i + MAX_UPDATES_PER_COMMAND), { ordered: false });
  };
  await consumer.run({
    partitionsConsumedConcurrently: 12,
    eachBatch: async ({ batch }) => {
      type Pending = { history: UserEventDocument[]; users: Map<string, UserDocument> };
      const byShard = new Map<number, Pending>();
      for (const message of batch.messages) {
        const doc = options.docs.get(`${batch.partition}:${message.offset}`);
        if (!doc) continue;
        const shard = shards.indexOf(doc.streamId);
        const pending: Pending = byShard.get(shard) ?? { history: [], users: new Map() };
        byShard.set(shard, pending);
        pending.history.push(doc.history);
        if (doc.user) pending.users.set(doc.streamId, doc.user);
      }
      await Promise.all(
        [...byShard].map(([shard, { history, users }]) =>
          serialised(shards.dbs[shard]!, () => write(shards.dbs[shard]!, history, users)),
        ),
      );
    },
  });
  return {
    async stop() {
      await consumer.disconnect();
      await shards.close();
    },
  };
}
