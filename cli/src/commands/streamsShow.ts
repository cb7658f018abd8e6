import type { Kafka } from 'kafkajs';
import type { Logger } from '@eventfold/observability';
import { emailStreamIdsFor } from '@eventfold/command-service';
import {
  confluentSchemaRegistry,
  fromStreamEventRecord,
  loadSchemaCatalog,
  unframe,
  userEventCodec,
} from '@eventfold/avro';
import {
  MASTER_KEY_VARIABLE,
  parseMasterKey,
  PersonalDataCipher,
  PersonalDataCodec,
  PII_KEY_ID_HEADER,
  readKeySettings,
  type ConnectedKeyStore,
} from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { partitionForKey, PartitionReader } from '@eventfold/kafka';
import type { ClusterOptions } from '../cluster/clusterOptions';
import { CLI_READER_GROUP_PREFIX, topicEnds, withAdmin } from '../cluster/kafkaAdmin';
import { CliError, type Output } from './output';

const STREAM_ID = /^user-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An address's reservation stream (decision 0016): a keyed hash, never the address. */
const EMAIL_STREAM_ID = /^email-[0-9a-f]{64}$/i;

/** A user id, a user's stream id (`user-<uuid>`) or a reservation stream's (`email-<hash>`) → the stream id. */
export function streamIdOf(id: string): string {
  if (STREAM_ID.test(id) || EMAIL_STREAM_ID.test(id)) return id.toLowerCase();
  if (USER_ID.test(id)) return `user-${id.toLowerCase()}`;
  throw new CliError(
    `streams show: '${id}' is neither a user id (a UUID) nor a stream id (user-<uuid>, email-<hash>)`,
  );
}

/**
 * The reservation stream of `email`, keyed as the command service keys it: from the master key, which the
 * operator must therefore hold (nobody without it can find, or test a guess at, an address's stream).
 */
export function emailStreamIdOf(email: string, env: NodeJS.ProcessEnv): string {
  const master = env[MASTER_KEY_VARIABLE]?.trim();
  if (!master)
    throw new CliError(
      `streams show --email: ${MASTER_KEY_VARIABLE} must be set: an address's stream id is keyed with it`,
    );
  try {
    return emailStreamIdsFor(parseMasterKey(master))(email);
  } catch (error) {
    throw new CliError(`streams show --email: ${(error as Error).message}`);
  }
}

export interface ShownEvent {
  readonly partition: number;
  readonly offset: string;
  /** The registry id in the record's framing: the schema it was written with. */
  readonly schemaId: number;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  /** The data key its personal fields are sealed with (the `pii-key-id` header), or null. */
  readonly keyId: string | null;
  /** Decrypted: plaintext (or `[erased]` for a forgotten user); else the ciphertexts as stored. */
  readonly decrypted: boolean;
}

/**
 * The events of one stream, read from the log itself (not the read model), decoded with the registry: the partition
 * its key hashes to is read from the start, and the stream's records kept, with their positions. With
 * `KEY_ENCRYPTION_KEY` set, personal fields are decrypted (the key store: `KEY_STORE_URI`, default the first of
 * `MONGO_SHARDS`, and `KEY_STORE_DB`); without it they are shown as stored, ciphertexts, with their key id.
 */
export async function readStream(
  kafka: Kafka,
  options: ClusterOptions,
  streamId: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = {},
): Promise<ShownEvent[]> {
  const topic = options.topics.events;
  const ends = await withAdmin(kafka, (admin) => topicEnds(admin, topic));
  const partition = partitionForKey(streamId, ends.size);
  const catalog = loadSchemaCatalog();
  const codec = await userEventCodec(confluentSchemaRegistry(options.registryUrl), catalog, { topic });
  let keyStore: ConnectedKeyStore | null = null;
  if (env[MASTER_KEY_VARIABLE]?.trim()) {
    try {
      keyStore = await connectKeyStore(readKeySettings(env, options.mongoShards[0]!));
    } catch (error) {
      throw new CliError(`streams show: ${(error as Error).message}`);
    }
  }
  const reader = await PartitionReader.start(kafka, [topic], logger, `${CLI_READER_GROUP_PREFIX}streams`);
  const records: { offset: string; value: Buffer; keyId: string | null }[] = [];
  try {
    await reader.read(topic, partition, ends.get(partition)!.low, (message) => {
      if (message.key?.toString() === streamId && message.value)
        records.push({
          offset: message.offset,
          value: message.value,
          keyId: message.headers?.[PII_KEY_ID_HEADER]?.toString() ?? null,
        });
    });
  } finally {
    await reader.stop();
  }
  const decoder = keyStore
    ? new PersonalDataCodec(codec, new PersonalDataCipher({ catalog, keys: keyStore.keys }))
    : codec;
  const events: ShownEvent[] = [];
  try {
    for (const { offset, value, keyId } of records) {
      const decoded = await decoder.decode(value, { topic, partition, offset });
      const at = { partition, offset, schemaId: unframe(value)!.schemaId };
      events.push(shown(decoded.record, decoded.value, at, keyId, keyStore !== null));
    }
  } finally {
    await keyStore?.close();
  }
  return events;
}

function shown(
  record: string,
  value: Record<string, unknown>,
  at: Pick<ShownEvent, 'partition' | 'offset' | 'schemaId'>,
  keyId: string | null,
  decrypted: boolean,
): ShownEvent {
  const { type, data, metadata } = fromStreamEventRecord(record, value);
  return {
    ...at,
    version: metadata.version,
    type,
    occurredAt: new Date(metadata.occurredAt).toISOString(),
    data: data,
    metadata: { ...metadata },
    keyId,
    decrypted,
  };
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
