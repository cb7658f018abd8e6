import {
  confluentSchemaRegistry,
  fromIntegrationRecord,
  integrationCodec,
  loadSchemaCatalog,
} from '@eventfold/avro';
import type { LogRecord } from '@eventfold/core';
import { send, startTestCommandService } from '@eventfold/command-service/testing';
import { KafkaEventLog } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints, testKafka, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { readIntegrationConfig } from './config';
import { startIntegrationService } from './integrationService';

jest.setTimeout(180_000);

describe('the integration translator service', () => {
  it('becomes ready, publishes the users it sees on users.integration.v1, and counts them in /metrics', async () => {
    const command = await startTestCommandService({ partitions: 2 });
    const endpoints = testEndpoints();
    const config = readIntegrationConfig(
      {
        ...testKeyEnvironment(),
        PORT: '0',
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
        TOPIC_PREFIX: command.prefix,
        PARTITIONS: '2',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      },
      'test',
    );
    const fatal: unknown[] = [];
    const service = await startIntegrationService(config, {
      logger: createLogger('integration', config.logLevel),
      onFatal: (error) => fatal.push(error),
    });
    const log = new KafkaEventLog({
      kafka: testKafka('integration-reader'),
      logger: createLogger('test', 'silent'),
      readerGroupPrefix: command.prefix,
    });
    try {
      await service.started;
      await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, {
        timeoutMs: 60_000,
        description: 'the translator to be ready',
      });
      const registered = await send(command.service.url, 'POST', '/v1/users', {
        name: 'Dee',
        email: 'dee@example.com',
      });
      const id = registered.body!.id as string;
      const topic = `${command.prefix}users.integration.v1`;
      const codec = await integrationCodec(
        confluentSchemaRegistry(endpoints.schemaRegistryUrl),
        loadSchemaCatalog(),
        { topic },
      );
      const facts = async () => {
        const records: LogRecord[] = [];
        for (let partition = 0; partition < 2; partition++)
          await log.readPartition(topic, partition, 0n, (r) => records.push(r));
        return Promise.all(
          records.map(async (r) => {
            const { record, value } = await codec.decode(r.value, { topic, partition: 0, offset: r.offset });
            return fromIntegrationRecord(record, value);
          }),
        );
      };
      await waitFor(async () => (await facts()).length > 0, {
        timeoutMs: 60_000,
        description: 'the registration published',
      });
      expect(await facts()).toEqual([
        expect.objectContaining({
          type: 'UserJoined',
          data: expect.objectContaining({
            userId: id,
            name: 'Dee',
            email: 'dee@example.com',
            status: 'active',
          }),
        }),
      ]);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toMatch(/^eventfold_integration_facts_total({[^}]*})? 1$/m);
      expect(fatal).toEqual([]);
    } finally {
      await log.close();
      await service.stop();
      await command.service.stop();
    }
  });
});
