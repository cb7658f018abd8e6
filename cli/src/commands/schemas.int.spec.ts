import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  confluentSchemaRegistry,
  defaultSchemasDir,
  frame,
  loadSchemaCatalog,
  singleRecordCodec,
  userEventCodec,
} from '@eventfold/avro';
import { createKafka, KafkaEventLog } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { randomName, testEndpoints } from '@eventfold/testing';
import { eventfold } from '../testing';

const run = (argv: string[]) => eventfold({}, ...argv);

function schemasWithVersionAsString(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-schemas-'));
  fs.cpSync(defaultSchemasDir, dir, { recursive: true });
  const file = path.join(dir, 'users', 'UserRegistered.avsc');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  schema.fields.find((f: { name: string }) => f.name === 'version').type = 'string';
  fs.writeFileSync(file, JSON.stringify(schema, null, 2));
  return dir;
}

describe('eventfold schemas', () => {
  const registryUrl = testEndpoints().schemaRegistryUrl;

  it('check passes on the schemas as they are, locally and against the registry', async () => {
    expect((await run(['schemas', 'register', '--registry', registryUrl])).code).toBe(0);
    // A prefix no topic has: what earlier tests left on the shared Kafka is not this test's business.
    const result = await run([
      'schemas',
      'check',
      '--registry',
      registryUrl,
      '--prefix',
      randomName('none-'),
    ]);
    expect(result).toMatchObject({ code: 0, errors: [] });
    expect(result.lines).toContain(`checked against the registry at ${registryUrl}`);
  });

  it('check fails on an incompatible edit, naming the schema, the field and the rule', async () => {
    const dir = schemasWithVersionAsString();
    const local = await run(['schemas', 'check', '--dir', dir, '--local']);
    expect(local.code).toBe(1);
    expect(local.errors[0]).toContain('eventfold.users.UserRegistered');
    expect(local.errors[0]).toContain('field version: field-type-changed');
    expect(local.errors[0]).toContain('changed type from long (v1) to string');
    expect(local.errors.at(-1)).toBe('schemas check: 1 incompatible change');

    await run(['schemas', 'register', '--registry', registryUrl]);
    const remote = await run(['schemas', 'check', '--dir', dir, '--registry', registryUrl]);
    expect(remote.code).toBe(1);
    expect(
      remote.errors.some((e) => e.includes('registry subject users.events-eventfold.users.UserRegistered')),
    ).toBe(true);
  });

  it('reports an invalid schema file in one line', async () => {
    const dir = schemasWithVersionAsString();
    fs.writeFileSync(
      path.join(dir, 'users', 'UserReactivated.avsc'),
      '{"type":"record","name":"UserReactivated","fields":[{"name":"x","type":"nonsense"}]}',
    );
    const result = await run(['schemas', 'check', '--dir', dir, '--local']);
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^schemas check: .*UserReactivated\.avsc is not a valid Avro schema: /),
    ]);
  });
});

describe('eventfold schemas check against the log', () => {
  const { schemaRegistryUrl: registryUrl, kafkaBrokers } = testEndpoints();
  const catalog = loadSchemaCatalog();
  const registry = confluentSchemaRegistry(registryUrl);
  const logger = createLogger('test', 'silent');
  const log = new KafkaEventLog({
    kafka: createKafka({ brokers: kafkaBrokers, clientId: 'schemas-check-test', logger }),
    logger,
    readerGroupPrefix: randomName('schemas-check'),
  });
  afterAll(() => log.close());

  /** A users.events topic under a new prefix, holding `count` records framed with `schemaId`. */
  async function eventsTopic(
    schemaId: (ids: { deactivated: number; envelope: number }) => number,
    count = 4,
  ) {
    const prefix = randomName('check-');
    const topic = `${prefix}users.events`;
    await log.ensureTopics([{ topic, partitions: 2, config: {} }]);
    const events = await userEventCodec(registry, catalog, { topic });
    const commands = await singleRecordCodec(
      registry,
      catalog,
      `${prefix}users.commands`,
      'UserCommandEnvelope',
    );
    const ids = {
      deactivated: events.schemaIdOf('eventfold.users.UserDeactivated'),
      envelope: commands.schemaIdOf('eventfold.users.UserCommandEnvelope'),
    };
    const records = Array.from({ length: count }, (_, i) => {
      const value = {
        userId: `user-${i}`,
        reason: null,
        eventId: `event-${i}`,
        streamId: `user-${i}`,
        version: 2,
        occurredAt: 1,
        correlationId: 'c',
        causationId: 'c',
        actor: 'test',
      };
      const body = events.encode('eventfold.users.UserDeactivated', value).subarray(5);
      return { key: `user-${i}`, value: frame(schemaId(ids), body) };
    });
    await log.append([{ topic, records }]);
    return prefix;
  }

  const check = (prefix: string) =>
    run([
      'schemas',
      'check',
      '--registry',
      registryUrl,
      '--brokers',
      kafkaBrokers.join(','),
      '--prefix',
      prefix,
    ]);

  it('passes when the records name the schemas they were written with', async () => {
    const prefix = await eventsTopic((ids) => ids.deactivated);
    const result = await check(prefix);
    expect(result.errors).toEqual([]);
    expect(result.lines).toContain(`${prefix}users.events: the last 4 records name schemas that fit them`);
    expect(result.code).toBe(0);
  });

  it('says the registry lost its ids when the records name schemas of another topic', async () => {
    const prefix = await eventsTopic((ids) => ids.envelope);
    const result = await check(prefix);
    expect(result.code).toBe(1);
    expect(result.errors[0]).toContain(`${prefix}users.events: The schema registry has lost the ids`);
    expect(result.errors[0]).toContain('4 of the last 4 records');
  });
});
