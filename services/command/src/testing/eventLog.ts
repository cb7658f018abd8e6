import {
  fromStreamEventRecord,
  loadSchemaCatalog,
  confluentSchemaRegistry,
  userEventCodec,
  type UserTopicNames,
} from '@eventfold/avro';
import { PartitionReader } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints, testKafka } from '@eventfold/testing';
import {
  isEmailStreamId,
  type RecordedEmailReservationEvent,
  type RecordedUserEvent,
} from '@eventfold/users-domain';
import type { KafkaMessage } from 'kafkajs';
import { testCipher } from './testCipher';

export interface LoggedEvent {
  readonly event: RecordedUserEvent;
  readonly partition: number;
  readonly offset: bigint;
}

/** An event of any stream: a user's, or a reservation stream's (decision 0016). */
export interface LoggedStreamEvent {
  readonly event: RecordedUserEvent | RecordedEmailReservationEvent;
  readonly partition: number;
  readonly offset: bigint;
  /** The record's bytes as stored (personal fields sealed with a fresh IV each time they are encrypted). */
  readonly bytes?: Buffer;
}

/** The users' events of a users.events topic (the reservation streams' left out): see readStreamEventLog. */
export async function readEventLog(...args: Parameters<typeof readStreamEventLog>): Promise<LoggedEvent[]> {
  return (await readStreamEventLog(...args)).filter(
    (e): e is LoggedEvent => !isEmailStreamId(e.event.metadata.streamId),
  );
}

/** Every committed event of a users.events topic, decoded and decrypted (the test key), as a read_committed consumer sees it. */
export async function readStreamEventLog(
  topics: UserTopicNames,
  partitions: number,
  endpoints: { kafkaBrokers: readonly string[]; schemaRegistryUrl: string } = testEndpoints(),
  /** The system's own key store database, when it has one; the tests' shared one otherwise. */
  keyStoreDb?: string,
): Promise<LoggedStreamEvent[]> {
  const kafka = testKafka('test-reader', endpoints.kafkaBrokers);
  const cipher = await testCipher(keyStoreDb);
  const codec = cipher.sealed(
    await userEventCodec(confluentSchemaRegistry(endpoints.schemaRegistryUrl), loadSchemaCatalog(), {
      topic: topics.events,
    }),
  );
  const reader = await PartitionReader.start(
    kafka,
    [topics.events],
    createLogger('test', 'silent'),
    'test-reader',
  );
  try {
    const logged: LoggedStreamEvent[] = [];
    for (let partition = 0; partition < partitions; partition++) {
      const messages: KafkaMessage[] = [];
      await reader.read(topics.events, partition, 0n, (m) => messages.push(m));
      for (const m of messages) {
        const decoded = await codec.decode(m.value, { topic: topics.events, partition, offset: m.offset });
        logged.push({
          event: fromStreamEventRecord(decoded.record, decoded.value),
          partition,
          offset: BigInt(m.offset),
          ...(m.value ? { bytes: m.value } : {}),
        });
      }
    }
    return logged;
  } finally {
    await reader.stop();
    await cipher.close();
  }
}

/** Per stream, the versions in log order; and the problems: duplicates, gaps, and events on a foreign partition. */
/**
 * The log without second copies of an event: a later record with the same event id, stream, version, causation,
 * type and data as an earlier one is the same decision stored twice (seen in rare Kafka kill -9 runs), which every
 * reader skips by version (the restore, the projector's guard, time travel). Each copy says whether its bytes are
 * the first one's (the transport wrote one record twice) or not (personal fields sealed again: decided again on a
 * stream that had not seen its first write). Anything else at an event id already seen stays in the log, and
 * checkStreams reports it.
 */
export function withoutCopies<T extends LoggedStreamEvent>(
  log: readonly T[],
): { log: T[]; copies: (T & { sameBytes: boolean })[] } {
  const first = new Map<string, T>();
  const kept: T[] = [];
  const copies: (T & { sameBytes: boolean })[] = [];
  const content = ({ event }: T) =>
    JSON.stringify([
      event.metadata.streamId,
      event.metadata.version,
      event.metadata.causationId,
      event.type,
      event.data,
    ]);
  for (const entry of log) {
    const earlier = first.get(entry.event.metadata.eventId);
    if (earlier && content(earlier) === content(entry)) {
      const sameBytes = !!earlier.bytes && !!entry.bytes && earlier.bytes.equals(entry.bytes);
      copies.push({ ...entry, sameBytes });
      continue;
    }
    kept.push(entry);
    if (!earlier) first.set(entry.event.metadata.eventId, entry);
  }
  return { log: kept, copies };
}

export function checkStreams(log: readonly LoggedStreamEvent[]) {
  const versions = new Map<string, number[]>();
  const partitionOf = new Map<string, number>();
  const problems: string[] = [];
  const eventIds = new Set<string>();
  for (const { event, partition } of log) {
    const { streamId, version, eventId } = event.metadata;
    if (eventIds.has(eventId)) problems.push(`duplicate event id ${eventId} (${streamId} v${version})`);
    eventIds.add(eventId);
    if ((partitionOf.get(streamId) ?? partition) !== partition) problems.push(`${streamId} spans partitions`);
    partitionOf.set(streamId, partition);
    versions.set(streamId, [...(versions.get(streamId) ?? []), version]);
  }
  for (const [streamId, list] of versions) {
    list.forEach((v, i) => {
      if (v !== i + 1) problems.push(`${streamId}: position ${i + 1} holds version ${v}`);
    });
  }
  return { versions, problems };
}

/**
 * How many committed records `topic` holds, as a read_committed consumer counts them. Unlike the sum of high
 * watermarks it leaves out transaction markers, which the coordinator writes after the commit has answered, so a
 * count taken just after a command returned does not grow by itself.
 */
export async function countCommittedRecords(
  topic: string,
  partitions: number,
  brokers: readonly string[] = testEndpoints().kafkaBrokers,
): Promise<number> {
  const reader = await PartitionReader.start(
    testKafka('test-counter', brokers),
    [topic],
    createLogger('test', 'silent'),
    'test-counter',
  );
  try {
    let total = 0;
    for (let partition = 0; partition < partitions; partition++)
      total += await reader.read(topic, partition, 0n, () => undefined);
    return total;
  } finally {
    await reader.stop();
  }
}
