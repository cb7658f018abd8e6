import { Partitioners } from 'kafkajs';
import {
  confluentSchemaRegistry,
  loadSchemaCatalog,
  toUserEventRecord,
  userEventCodec,
  userTopicNames,
} from '@eventfold/avro';
import { createKafka, ensureTopics, userTopology } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints } from '@eventfold/testing';
import type { RecordedUserEvent } from '@eventfold/users-domain';

/**
 * Writes events to `${prefix}users.events` the way the command service does (Avro in Confluent framing, key =
 * stream id, the Java-compatible partitioner, event headers), creating the users topics first. For tests that
 * need events the command service would never write twice, or bytes it would never write at all.
 */
export async function eventWriter(prefix: string, partitions = 3) {
  const topics = userTopicNames(prefix);
  const kafka = createKafka({
    brokers: testEndpoints().kafkaBrokers,
    clientId: 'test-event-writer',
    logger: createLogger('test', 'silent'),
  });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, userTopology({ topics, partitions, replicationFactor: 1, minInsyncReplicas: 1 }));
  await admin.disconnect();
  const codec = await userEventCodec(
    confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
    loadSchemaCatalog(),
    {
      topic: topics.events,
    },
  );
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    kafka,
    topics,
    async write(...events: RecordedUserEvent[]) {
      await producer.send({
        topic: topics.events,
        acks: -1,
        messages: events.map((event) => {
          const { record, value } = toUserEventRecord(event);
          return {
            key: event.metadata.streamId,
            value: codec.encode(record, value),
            headers: { 'event-type': event.type, 'event-id': event.metadata.eventId },
          };
        }),
      });
    },
    async writeRaw(key: string, value: Buffer) {
      await producer.send({ topic: topics.events, acks: -1, messages: [{ key, value }] });
    },
    async close() {
      await producer.disconnect();
    },
  };
}
