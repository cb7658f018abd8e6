import { confluentSchemaRegistry, loadSchemaCatalog, singleRecordCodec } from '@eventfold/avro';
import { readKeySettings } from '@eventfold/crypto';
import { partitionForKey } from '@eventfold/kafka';
import { testEndpoints, testKafka, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { Partitioners } from 'kafkajs';
import type { LogRecord } from '@eventfold/core';
import { KafkaEventLog } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { emailStreamIdsFor } from './emailClaims/emailStreamIds';
import { envelopeToRecord } from './processing/wire';
import { testCipher } from './testing/testCipher';
import { send, startTestCommandService } from './testing/testCommandService';

jest.setTimeout(240_000);

describe('restoring a command partition', () => {
  it('reads a stream’s snapshot, not its 10,000 events', async () => {
    // The rename that reaches version 10,000 must answer with its result (200), not 202: on a loaded machine the
    // 10,000 results before it can take longer than the default 5 s wait, and every later try is a 412.
    const first = await startTestCommandService({ partitions: 3, env: { COMMAND_TIMEOUT_MS: '60000' } });
    let second: Awaited<ReturnType<typeof startTestCommandService>> | undefined;
    try {
      const registered = await send(first.service.url, 'POST', '/v1/users', {
        name: 'Ada',
        email: 'ada@example.com',
      });
      const id = registered.body!.id as string;
      const streamId = `user-${id}`;

      // 9,999 renames, produced straight onto users.commands in bulk (the HTTP path would only be slower).
      const kafka = testKafka('test');
      const cipher = await testCipher();
      const codec = cipher.sealed(
        await singleRecordCodec(
          confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
          loadSchemaCatalog(),
          first.topics.commands,
          'UserCommandEnvelope',
        ),
      );
      const producer = kafka.producer({
        idempotent: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      for (let chunk = 0; chunk < 10; chunk++) {
        const messages = Array.from({ length: chunk === 9 ? 999 : 1000 }, async (_, i) => {
          const n = chunk * 1000 + i;
          const command = {
            type: 'ChangeUserName' as const,
            data: { name: `Ada ${n}`, reason: null },
            metadata: {
              commandId: `rename-${n}`,
              now: Date.now(),
              actor: 'test',
              correlationId: 'bulk',
              causationId: 'bulk',
            },
          };
          return {
            key: streamId,
            value: (
              await codec.encode(
                'eventfold.users.UserCommandEnvelope',
                envelopeToRecord({ streamId, expectedVersion: null, command }),
              )
            ).bytes,
          };
        });
        await producer.send({
          topic: first.topics.commands,
          acks: -1,
          messages: await Promise.all(messages),
        });
      }
      await producer.disconnect();
      await cipher.close();
      // The last rename is visible once a rename expecting version 10,000 succeeds.
      await waitFor(
        async () =>
          (
            await send(
              first.service.url,
              'PUT',
              `/v1/users/${id}/name`,
              { name: 'Ada final' },
              { 'If-Match': '"10000"' },
            )
          ).status === 200,
        {
          timeoutMs: 120_000,
          intervalMs: 500,
          description: 'the 10,000th event',
        },
      );
      await first.service.stop();

      second = await startTestCommandService({ prefix: first.prefix, partitions: 3 });
      const partition = partitionForKey(streamId, 3);
      const stats = second.service.restores.get(partition)!;
      expect(stats.eventsRead).toBe(0);
      // The user's stream, and the reservation stream of its address when that hashes to the same partition.
      const reservation = emailStreamIdsFor(readKeySettings(testKeyEnvironment(), '').masterKey)(
        'ada@example.com',
      );
      expect(stats.streams).toBe(partitionForKey(reservation, 3) === partition ? 2 : 1);
      // One snapshot per transaction that touched the stream at most (before compaction): far fewer than its events.
      expect(stats.snapshotsRead).toBeLessThan(1000);
      const next = await send(
        second.service.url,
        'PUT',
        `/v1/users/${id}/name`,
        { name: 'Ada again' },
        { 'If-Match': '"10001"' },
      );
      expect(next).toMatchObject({ status: 200, body: { version: 10002 } });
    } finally {
      await first.service.stop();
      await second?.service.stop();
    }
  });

  it('skips a record of users.events it cannot decode (written by hand), and goes on deciding the partition', async () => {
    const first = await startTestCommandService({ partitions: 1 });
    let second: Awaited<ReturnType<typeof startTestCommandService>> | undefined;
    try {
      const registered = await send(first.service.url, 'POST', '/v1/users', {
        name: 'Bo',
        email: 'bo@example.com',
      });
      const id = registered.body!.id as string;
      const kafka = testKafka('poisoner');
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({
        topic: first.topics.events,
        messages: [{ key: 'user-poison', partition: 0, value: Buffer.from('{"not":"avro"}') }],
      });
      await producer.disconnect();
      await first.service.stop();
      // A restart reads the events after the last snapshot: the poison among them.
      second = await startTestCommandService({ prefix: first.prefix, partitions: 1 });
      const renamed = await send(
        second.service.url,
        'PUT',
        `/v1/users/${id}/name`,
        { name: 'Bo II' },
        { 'If-Match': '"1"' },
      );
      expect(renamed).toMatchObject({ status: 200, body: { version: 2 } });
      expect([...first.fatal, ...second.fatal]).toEqual([]);
    } finally {
      await first.service.stop();
      await second?.service.stop();
    }
  });
  it('skips a second copy of an event already in users.events, and goes on deciding the stream', async () => {
    const first = await startTestCommandService({ partitions: 1 });
    let second: Awaited<ReturnType<typeof startTestCommandService>> | undefined;
    try {
      const registered = await send(first.service.url, 'POST', '/v1/users', {
        name: 'Cy',
        email: 'cy@example.com',
      });
      const id = registered.body!.id as string;
      const renamed = await send(
        first.service.url,
        'PUT',
        `/v1/users/${id}/name`,
        { name: 'Cy II' },
        { 'If-Match': '"1"' },
      );
      expect(renamed).toMatchObject({ status: 200, body: { version: 2 } });
      await first.service.stop();

      // The rename's event written a second time, byte for byte, right after the first (what one Kafka kill -9 run
      // in many left behind): the restore must not take it for a gap.
      const kafka = testKafka('duplicator');
      const log = new KafkaEventLog({
        kafka,
        logger: createLogger('test', 'silent'),
        readerGroupPrefix: first.prefix,
      });
      const records: LogRecord[] = [];
      await log.readPartition(first.topics.events, 0, 0n, (r) => records.push(r));
      const last = records.at(-1)!;
      await log.append([
        {
          topic: first.topics.events,
          records: [
            {
              key: last.key,
              value: last.value,
              headers: Object.fromEntries(
                Object.entries(last.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]),
              ),
              partition: 0,
            },
          ],
        },
      ]);
      await log.close();

      second = await startTestCommandService({ prefix: first.prefix, partitions: 1 });
      const again = await send(
        second.service.url,
        'PUT',
        `/v1/users/${id}/name`,
        { name: 'Cy III' },
        { 'If-Match': '"2"' },
      );
      expect(again).toMatchObject({ status: 200, body: { version: 3 } });
      expect([...first.fatal, ...second.fatal]).toEqual([]);
    } finally {
      await first.service.stop();
      await second?.service.stop();
    }
  });
});
