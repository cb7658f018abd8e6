import type { Kafka } from 'kafkajs';
import type { Logger } from '@eventfold/observability';
import {
  confluentSchemaRegistry,
  fromUserEventRecord,
  loadSchemaCatalog,
  userEventCodec,
} from '@eventfold/avro';
import { partitionForKey, PartitionReader } from '@eventfold/kafka';
import type { ClusterOptions } from '../cluster/clusterOptions';
import { topicEnds, withAdmin } from '../cluster/kafkaAdmin';
import { CliError, type Output } from './output';

const STREAM_ID = /^user-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user id or a stream id (`user-<uuid>`) → the stream id. */
export function streamIdOf(id: string): string {
  if (STREAM_ID.test(id)) return id.toLowerCase();
  if (USER_ID.test(id)) return `user-${id.toLowerCase()}`;
  throw new CliError(`streams show: '${id}' is neither a user id (a UUID) nor a stream id (user-<uuid>)`);
}

export interface ShownEvent {
  readonly partition: number;
  readonly offset: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/**
 * The events of one stream, read from the log itself (not the read model), decoded with the registry: the partition
 * its key hashes to is read from the start, and the stream's records kept, with their positions.
 */
export async function readStream(
  kafka: Kafka,
  options: ClusterOptions,
  streamId: string,
  logger: Logger,
): Promise<ShownEvent[]> {
  const topic = options.topics.events;
  const ends = await withAdmin(kafka, (admin) => topicEnds(admin, topic));
  const partition = partitionForKey(streamId, ends.size);
  const codec = await userEventCodec(confluentSchemaRegistry(options.registryUrl), loadSchemaCatalog(), {
    topic,
  });
  const reader = await PartitionReader.start(kafka, [topic], logger, 'eventfold-cli-streams');
  const records: { offset: string; value: Buffer }[] = [];
  try {
    await reader.read(topic, partition, ends.get(partition)!.low, (message) => {
      if (message.key?.toString() === streamId && message.value)
        records.push({ offset: message.offset, value: message.value });
    });
  } finally {
    await reader.stop();
  }
  const events: ShownEvent[] = [];
  for (const { offset, value } of records) {
    const decoded = await codec.decode(value, { topic, partition, offset });
    const { type, data, metadata } = fromUserEventRecord(decoded.record, decoded.value);
    events.push({
      partition,
      offset,
      version: metadata.version,
      type,
      occurredAt: new Date(metadata.occurredAt).toISOString(),
      data: data as Record<string, unknown>,
      metadata: { ...metadata },
    });
  }
  return events;
}

export function printStream(
  streamId: string,
  events: readonly ShownEvent[],
  json: boolean,
  out: Output,
): void {
  if (events.length === 0) throw new CliError(`streams show: stream '${streamId}' has no events`);
  if (json) {
    for (const event of events) out.line(JSON.stringify(event));
    return;
  }
  out.line(
    `${streamId}: ${events.length} event${events.length === 1 ? '' : 's'} in partition ${events[0]!.partition}`,
  );
  for (const e of events)
    out.line(`v${e.version}\toffset ${e.offset}\t${e.occurredAt}\t${e.type}\t${JSON.stringify(e.data)}`);
}
