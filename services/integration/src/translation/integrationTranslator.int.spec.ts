import {
  confluentSchemaRegistry,
  fromIntegrationRecord,
  integrationCodec,
  loadSchemaCatalog,
  userEventCodec,
} from '@eventfold/avro';
import type { LogRecord, PartitionOwnership } from '@eventfold/core';
import { send, startTestCommandService, testCipher } from '@eventfold/command-service/testing';
import { KafkaEventLog } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints, testKafka, waitFor } from '@eventfold/testing';
import type { IntegrationEvent } from '@eventfold/users-domain';
import { integrationTopic } from '@eventfold/kafka';
import { integrationTranslator } from './integrationTranslator';

jest.setTimeout(240_000);

const PARTITIONS = 2;

describe('the integration translator over real Kafka', () => {
  it('publishes each visible change once, in order per user, and a replay of its group from offset 0 adds nothing', async () => {
    const command = await startTestCommandService({ partitions: PARTITIONS });
    const topic = `${command.prefix}users.integration.v1`;
    const registry = confluentSchemaRegistry(testEndpoints().schemaRegistryUrl);
    const catalog = loadSchemaCatalog();
    const cipher = await testCipher();
    const log = new KafkaEventLog({
      kafka: testKafka('translator'),
      logger: createLogger('test', 'silent'),
      readerGroupPrefix: command.prefix,
    });
    const running: PartitionOwnership[] = [];
    const fatal: unknown[] = [];
    try {
      const ids: string[] = [];
      for (const name of ['Ada', 'Bo', 'Cy']) {
        const registered = await send(command.service.url, 'POST', '/v1/users', {
          name,
          email: `${name.toLowerCase()}@example.com`,
        });
        expect(registered.status).toBe(201);
        ids.push(registered.body!.id as string);
      }
      const [ada, bo, cy] = ids as [string, string, string];
      const expectOk = async (p: Promise<{ status: number }>) => expect((await p).status).toBe(200);
      await expectOk(send(command.service.url, 'PUT', `/v1/users/${ada}/name`, { name: 'Ada L' }));
      await expectOk(send(command.service.url, 'DELETE', `/v1/users/${bo}`));
      await expectOk(send(command.service.url, 'POST', `/v1/users/${bo}/reactivation`));
      await expectOk(send(command.service.url, 'DELETE', `/v1/users/${cy}/personal-data`));

      await log.ensureTopics([integrationTopic({ topic, partitions: PARTITIONS })]);
      const handler = integrationTranslator({
        log,
        topics: { events: command.topics.events, integration: topic },
        events: cipher.sealed(await userEventCodec(registry, catalog, { topic: command.topics.events })),
        integration: await integrationCodec(registry, catalog, { topic }),
        logger: createLogger('test', 'silent'),
      });
      const codec = await integrationCodec(registry, catalog, { topic });
      const published = async (): Promise<IntegrationEvent[]> => {
        const facts: IntegrationEvent[] = [];
        for (let partition = 0; partition < PARTITIONS; partition++) {
          const records: LogRecord[] = [];
          await log.readPartition(topic, partition, 0n, (r) => records.push(r));
          for (const r of records) {
            const { record, value } = await codec.decode(r.value, { topic, partition, offset: r.offset });
            facts.push(fromIntegrationRecord(record, value));
          }
        }
        return facts;
      };
      const translate = async (groupId: string) => {
        let inputs = 0;
        const ownership = await log.runPartitionOwners({
          groupId,
          inputTopic: command.topics.events,
          handler,
          onFatal: (error) => fatal.push(error),
          observer: { committed: (_p, _ms, records) => (inputs += records) },
        });
        running.push(ownership);
        return { ownership, inputs: () => inputs };
      };

      // Every record of users.events: the three users' 7 events (3 registrations, Ada 1, Bo 2, Cy 1) and the
      // reservation streams' events beside them (decision 0016), which publish nothing but are inputs too.
      let eventCount = 0;
      for (let partition = 0; partition < PARTITIONS; partition++)
        await log.readPartition(command.topics.events, partition, 0n, () => void eventCount++);
      expect(eventCount).toBeGreaterThan(7);
      const first = await translate(`${command.prefix}integration`);
      await waitFor(async () => first.inputs() >= eventCount && (await published()).length >= 7, {
        timeoutMs: 120_000,
        description: `the ${eventCount} records of users.events translated`,
      });
      const facts = await published();
      const of = (id: string) => facts.filter((f) => f.data.userId === id).map((f) => f.type);
      expect(of(ada)).toEqual(['UserJoined', 'UserProfileChanged']);
      expect(of(bo)).toEqual(['UserJoined', 'UserLeft', 'UserReturned']);
      expect(of(cy)).toEqual(['UserJoined', 'UserErased']);
      expect(facts.find((f) => f.type === 'UserProfileChanged')!.data).toMatchObject({
        name: 'Ada L',
        email: 'ada@example.com',
        changed: ['name'],
        sourceVersion: 2,
      });
      expect(new Set(facts.map((f) => f.eventId)).size).toBe(facts.length);
      await first.ownership.stop();

      // A replay: another group over users.events from offset 0, restoring from what the public topic holds.
      const replay = await translate(`${command.prefix}integration-replay`);
      await waitFor(() => replay.inputs() >= eventCount, { timeoutMs: 120_000, description: 'the replay' });
      expect(await published()).toEqual(facts);
      expect(fatal).toEqual([]);
    } finally {
      await Promise.allSettled(running.map((r) => r.stop()));
      await log.close();
      await cipher.close();
      await command.service.stop();
    }
  });
});
