// eventfold's topics as one AsyncAPI 3.0 document (docs/architecture.md#topics): built from the topic settings the
// services create and the Avro schemas they register, so that it cannot say something else than the code does.

/** The topics eventfold owns, by the name the code gives them. */
export type TopicKey = 'commands' | 'events' | 'snapshots' | 'commandResults' | 'eventsDlq' | 'integration';

export interface AsyncApiTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface AsyncApiRecord {
  readonly fullName: string;
  /** The Avro schema as written in schemas/, custom attributes (`"pii": true`) included. */
  readonly schema: unknown;
  /** Where it is written, relative to the repository. */
  readonly file: string;
}

export interface UsersAsyncApiInput {
  readonly topics: Readonly<Record<TopicKey, AsyncApiTopic>>;
  readonly records: Readonly<Record<TopicKey, readonly AsyncApiRecord[]>>;
  readonly replicationFactor: number;
}

interface ChannelFacts {
  readonly id: string;
  readonly visibility: 'public' | 'internal';
  readonly description: string;
  readonly key: string;
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
}

const CHANNELS: Readonly<Record<TopicKey, ChannelFacts>> = {
  commands: {
    id: 'usersCommands',
    visibility: 'internal',
    description: 'Commands on their way to the owner of their stream’s partition (one writer per partition).',
    key: 'The stream id (`user-<uuid>`, or `email-<hash>` for an address reservation).',
    producers: ['command service'],
    consumers: ['command service (partition owners)'],
  },
  events: {
    id: 'usersEvents',
    visibility: 'internal',
    description:
      'The event store of the users context: every event of every stream, kept forever. Personal fields are encrypted under the user’s data key.',
    key: 'The stream id (`user-<uuid>`).',
    producers: ['command service (partition owners, in the transaction that consumed the command)'],
    consumers: ['projector', 'notifier', 'integration translator', 'command service (restore)'],
  },
  snapshots: {
    id: 'usersSnapshots',
    visibility: 'internal',
    description: 'The latest state of each stream, written with its events; compacted.',
    key: 'The stream id.',
    producers: ['command service'],
    consumers: ['command service (restore)'],
  },
  commandResults: {
    id: 'usersCommandResults',
    visibility: 'internal',
    description: 'The outcome of each command, read by the instance that waits to answer the request.',
    key: 'The stream id.',
    producers: ['command service'],
    consumers: ['command service (every instance)'],
  },
  eventsDlq: {
    id: 'usersEventsDlq',
    visibility: 'internal',
    description: 'Records of users.events a consumer could not handle, with the reason in headers.',
    key: 'As the record it holds.',
    producers: ['projector', 'notifier'],
    consumers: ['operators (`eventfold dlq`)'],
  },
  integration: {
    id: 'usersIntegrationV1',
    visibility: 'public',
    description:
      'The public contract of the users context: what other services may build on. Every fact but UserErased carries the whole public profile after it; compacted by user, so an erased user’s earlier facts are removed within max.compaction.lag.ms (docs/decisions/0017-public-integration-topic.md). Apply a fact only when its sourceVersion is higher than the last applied for the user.',
    key: 'The user id (a UUID).',
    producers: ['integration translator (exactly once, one transaction per batch with its input offsets)'],
    consumers: ['any service'],
  },
};

const AVRO = 'application/vnd.apache.avro+json;version=1.9.0';
const KAFKA_BINDING = '0.5.0';
const shortName = (fullName: string) => fullName.slice(fullName.lastIndexOf('.') + 1);
const configValue = (value: string): string | number => (/^-?\d+$/.test(value) ? Number(value) : value);

/** The document: a channel per topic, an operation per producer and consumer side, a message per Avro record. */
export function usersAsyncApi(input: UsersAsyncApiInput): Record<string, unknown> {
  const keys = Object.keys(CHANNELS) as TopicKey[];
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const key of keys) {
    const facts = CHANNELS[key];
    const topic = input.topics[key];
    const channelMessages: Record<string, unknown> = {};
    for (const record of input.records[key]) {
      const name = shortName(record.fullName);
      channelMessages[name] = { $ref: `#/components/messages/${name}` };
      messages[name] ??= {
        name,
        title: record.fullName,
        summary: (record.schema as { doc?: string }).doc,
        description: `Avro schema \`${record.file}\`, registered under the subject \`<topic>-${record.fullName}\` (TopicRecordNameStrategy), Confluent framing (magic byte, 4-byte schema id).`,
        contentType: 'application/octet-stream',
        headers: {
          type: 'object',
          properties: {
            'pii-key-id': {
              type: 'string',
              description: 'The data key its personal fields are sealed with.',
            },
            traceparent: { type: 'string', description: 'W3C trace context of the request that caused it.' },
          },
        },
        payload: { schemaFormat: AVRO, schema: record.schema },
        bindings: {
          kafka: {
            key: { type: 'string', description: facts.key },
            schemaIdLocation: 'payload',
            schemaLookupStrategy: 'TopicRecordNameStrategy',
            bindingVersion: KAFKA_BINDING,
          },
        },
      };
    }
    channels[facts.id] = {
      address: topic.topic,
      title: topic.topic,
      description: `${facts.description} Produced by ${facts.producers.join('; ')}. Consumed by ${facts.consumers.join('; ')}.`,
      tags: [{ name: facts.visibility }],
      messages: channelMessages,
      bindings: {
        kafka: {
          topic: topic.topic,
          partitions: topic.partitions,
          replicas: input.replicationFactor,
          topicConfiguration: Object.fromEntries(
            Object.entries(topic.config)
              .filter(([name]) =>
                ['cleanup.policy', 'retention.ms', 'retention.bytes', 'max.message.bytes'].includes(name),
              )
              .map(([name, value]) => [
                name,
                name === 'cleanup.policy' ? value.split(',') : configValue(value),
              ]),
          ),
          bindingVersion: KAFKA_BINDING,
        },
      },
    };
    const refs = Object.keys(channelMessages).map((name) => ({
      $ref: `#/channels/${facts.id}/messages/${name}`,
    }));
    operations[`send${facts.id[0]!.toUpperCase()}${facts.id.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${facts.id}` },
      summary: `Written by ${facts.producers.join('; ')}.`,
      messages: refs,
    };
    operations[`receive${facts.id[0]!.toUpperCase()}${facts.id.slice(1)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${facts.id}` },
      summary: `Read by ${facts.consumers.join('; ')}.`,
      messages: refs,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'eventfold users topics',
      version: '1.0.0',
      description:
        'Every Kafka topic eventfold owns. Only `users.integration.v1` (tag `public`) is a contract for other services; the others (tag `internal`) follow the domain and may change with it. Topic names take the deployment’s TOPIC_PREFIX; partitions are the deployment’s PARTITIONS (the default here).',
    },
    defaultContentType: 'application/octet-stream',
    servers: {
      kafka: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'The deployment’s brokers (KAFKA_BROKERS); TLS and SASL where configured.',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}
