import { randomUUID } from 'node:crypto';
import {
  confluentSchemaRegistry,
  loadSchemaCatalog,
  singleRecordCodec,
  type UserTopicNames,
} from '@eventfold/avro';
import { testEndpoints, testKafka, waitFor } from '@eventfold/testing';
import type { UserCommand } from '@eventfold/users-domain';
import { Partitioners } from 'kafkajs';
import { envelopeToRecord } from '@eventfold/command-service';
import { testCipher } from '@eventfold/command-service/testing';

/**
 * Puts many commands straight onto users.commands (what the command service's HTTP side would produce, minus
 * HTTP), then waits until the partition owners have consumed them all. For tests that need many events fast.
 */
export async function produceCommandsInBulk(
  topics: UserTopicNames,
  groupId: string,
  commands: { streamId: string; command: UserCommand }[],
  endpoints: { kafkaBrokers: readonly string[]; schemaRegistryUrl: string } = testEndpoints(),
  /** The system's own key store database, when it has one (ReadSideEnv.keyStoreDb). */
  keyStoreDb?: string,
) {
  const kafka = testKafka('bulk', endpoints.kafkaBrokers);
  // Encrypted under the test master key, as the command service's HTTP side would (registrations create keys).
  const cipher = await testCipher(keyStoreDb);
  const codec = cipher.sealed(
    await singleRecordCodec(
      confluentSchemaRegistry(endpoints.schemaRegistryUrl),
      loadSchemaCatalog(),
      topics.commands,
      'UserCommandEnvelope',
    ),
  );
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  try {
    for (let i = 0; i < commands.length; i += 1000) {
      const messages: { key: string; value: Buffer }[] = [];
      // At most 50 key lookups at a time: the key store is a FerretDB database like any other.
      for (const slice of chunks(commands.slice(i, i + 1000), 50)) {
        messages.push(
          ...(await Promise.all(
            slice.map(async ({ streamId, command }) => ({
              key: streamId,
              value: (
                await codec.encode(
                  'eventfold.users.UserCommandEnvelope',
                  envelopeToRecord({ streamId, expectedVersion: null, command }),
                )
              ).bytes,
            })),
          )),
        );
      }
      await producer.send({ topic: topics.commands, acks: -1, messages });
    }
    const ends = await admin.fetchTopicOffsets(topics.commands);
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.commands] });
        // A partition that never had a record has no committed offset (-1), and nothing to consume.
        return ends.every(
          (end) =>
            Number(end.high) === 0 ||
            Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1) >=
              Number(end.high),
        );
      },
      {
        timeoutMs: 180_000,
        intervalMs: 250,
        description: 'the command processors to consume every bulk command',
      },
    );
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), cipher.close()]);
  }
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const meta = (n: number) => ({
  commandId: randomUUID(),
  now: Date.UTC(2026, 0, 1) + n,
  actor: 'bulk',
  correlationId: 'bulk',
  causationId: 'bulk',
});

/** `users` registrations, each followed by `renames` renames: users × (1 + renames) events. */
export function registrationsAndRenames(
  users: number,
  renames: number,
): { streamId: string; command: UserCommand }[] {
  const ids = Array.from({ length: users }, () => randomUUID());
  const commands: { streamId: string; command: UserCommand }[] = ids.map((userId, i) => ({
    streamId: `user-${userId}`,
    command: {
      type: 'RegisterUser',
      data: { userId, name: `Bulk User ${i}`, email: `bulk${i}@example.com`, locale: null },
      metadata: meta(i),
    },
  }));
  for (let r = 1; r <= renames; r++) {
    ids.forEach((userId, i) =>
      commands.push({
        streamId: `user-${userId}`,
        command: {
          type: 'ChangeUserName',
          data: { name: `Bulk User ${i} r${r}`, reason: null },
          metadata: meta(r * users + i),
        },
      }),
    );
  }
  return commands;
}
