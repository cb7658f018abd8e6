import { Partitioners } from 'kafkajs';
import { confluentSchemaRegistry, loadSchemaCatalog, userEventCodec, userTopicNames } from '@eventfold/avro';
import { eventMessage } from '@eventfold/command-service';
import { partitionForKey } from '@eventfold/core';
import { PersonalDataCipher, PersonalDataCodec, readKeySettings } from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { ensureTopics, userTopology } from '@eventfold/kafka';
import { testEndpoints, testKafka, testKeyEnvironment, withTestAdmin } from '@eventfold/testing';
import type { RecordedUserEvent } from '@eventfold/users-domain';

/**
 * Writes events to `${prefix}users.events` with the command service's own `eventMessage` (Avro in Confluent
 * framing, key = stream id, the Java-compatible partitioner, event headers), creating the users topics first. For
 * tests that need events the command service would never write twice, or bytes it would never write at all.
 * Personal fields are encrypted under the test master key, and writing UserForgotten deletes the user's key, as the
 * command service does.
 */
export async function eventWriter(prefix: string, partitions = 3) {
  const topics = userTopicNames(prefix);
  const kafka = testKafka('test-event-writer');
  await withTestAdmin(kafka, (admin) =>
    ensureTopics(admin, userTopology({ topics, partitions, replicationFactor: 1, minInsyncReplicas: 1 })),
  );
  const catalog = loadSchemaCatalog();
  const keyStore = await connectKeyStore(readKeySettings(testKeyEnvironment(), ''));
  const codec = new PersonalDataCodec(
    await userEventCodec(confluentSchemaRegistry(testEndpoints().schemaRegistryUrl), catalog, {
      topic: topics.events,
    }),
    new PersonalDataCipher({ catalog, keys: keyStore.keys }),
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
        messages: await Promise.all(
          events.map((event) =>
            eventMessage(codec, partitionForKey(event.metadata.streamId, partitions), event, undefined),
          ),
        ),
      });
      for (const event of events)
        if (event.type === 'UserForgotten') await keyStore.keys.forget(event.metadata.streamId);
    },
    async writeRaw(key: string, value: Buffer) {
      await producer.send({ topic: topics.events, acks: -1, messages: [{ key, value }] });
    },
    async close() {
      await producer.disconnect();
      await keyStore.close();
    },
  };
}
