import {
  confluentSchemaRegistry,
  fromIntegrationRecord,
  INTEGRATION_TOPIC,
  integrationCodec,
  loadSchemaCatalog,
} from '@eventfold/avro';
import { PartitionReader } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints, testKafka } from '@eventfold/testing';
import type { IntegrationEvent } from '@eventfold/users-domain';
import type { KafkaMessage } from 'kafkajs';

/** One record of users.integration.v1, decoded, and where it is. */
export interface PublishedFact {
  readonly fact: IntegrationEvent;
  readonly key: string;
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * Every committed record of a system's users.integration.v1, decoded with the codec the services use, as a
 * read_committed consumer of another team would see it (docs/decisions/0017-public-integration-topic.md): in
 * offset order per partition, partitions one after the other.
 */
export async function readPublishedFacts(prefix: string, partitions: number): Promise<PublishedFact[]> {
  const topic = `${prefix}${INTEGRATION_TOPIC}`;
  const codec = await integrationCodec(
    confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
    loadSchemaCatalog(),
    { topic },
  );
  const reader = await PartitionReader.start(
    testKafka('integration-reader'),
    [topic],
    createLogger('test', 'silent'),
    `${prefix}test-reader`,
  );
  try {
    const published: PublishedFact[] = [];
    for (let partition = 0; partition < partitions; partition++) {
      const messages: KafkaMessage[] = [];
      await reader.read(topic, partition, 0n, (m) => messages.push(m));
      for (const m of messages) {
        const { record, value } = await codec.decode(m.value, { topic, partition, offset: m.offset });
        published.push({
          fact: fromIntegrationRecord(record, value),
          key: m.key?.toString() ?? '',
          partition,
          offset: BigInt(m.offset),
        });
      }
    }
    return published;
  } finally {
    await reader.stop();
  }
}
