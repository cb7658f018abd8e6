import type { Admin, Kafka } from 'kafkajs';
import type { EventLog } from '@eventfold/core';
import { createKafka, KafkaEventLog, type KafkaSettings } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { CliError } from '../commands/output';

/** The private groups of the CLI's partition reads (`eventfold-cli-<what>-<uuid>`): its ACLs grant this prefix. */
export const CLI_READER_GROUP_PREFIX = 'eventfold-cli-';

/**
 * A kafkajs client for one CLI run, with the TLS and SASL settings of the environment: quiet (its errors reach the
 * user as one line), fails fast when unreachable.
 */
export function cliKafka(settings: KafkaSettings): Kafka {
  return createKafka({
    ...settings,
    clientId: 'eventfold-cli',
    logger: createLogger('cli', 'silent'),
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 15_000,
  });
}

/** The event log on Kafka for reading, or null when no broker answers within the CLI's connection timeout. */
export async function reachableLog(settings: KafkaSettings): Promise<EventLog | null> {
  const kafka = cliKafka(settings);
  try {
    await withAdmin(kafka, (admin) => admin.describeCluster());
  } catch {
    return null;
  }
  return new KafkaEventLog({
    kafka,
    logger: createLogger('cli', 'silent'),
    readerGroupPrefix: `${CLI_READER_GROUP_PREFIX}check`,
  });
}

export async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin({ retry: { retries: 2 } });
  try {
    await admin.connect();
  } catch (error) {
    throw new CliError(`cannot reach Kafka: ${(error as Error).message}`);
  }
  try {
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface GroupState {
  readonly groupId: string;
  readonly state: string;
  readonly members: number;
  /** topic → partition → committed offset (only partitions with a commit). */
  readonly committed: Map<string, Map<number, bigint>>;
}

/** A consumer group's state, members and committed offsets; CliError when Kafka has never heard of it. */
export async function describeGroup(admin: Admin, groupId: string): Promise<GroupState> {
  const [description] = (await admin.describeGroups([groupId])).groups;
  const offsets = await admin.fetchOffsets({ groupId });
  const committed = new Map<string, Map<number, bigint>>();
  for (const { topic, partitions } of offsets) {
    for (const { partition, offset } of partitions) {
      if (Number(offset) < 0) continue;
      if (!committed.has(topic)) committed.set(topic, new Map());
      committed.get(topic)!.set(partition, BigInt(offset));
    }
  }
  const state = description?.state ?? 'Dead';
  const members = description?.members.length ?? 0;
  if ((state === 'Dead' || state === 'Empty') && members === 0 && committed.size === 0)
    throw new CliError(`unknown consumer group '${groupId}': it has no members and no committed offsets`);
  return { groupId, state, members, committed };
}

/** Partition → [low, high) of a topic. */
export async function topicEnds(
  admin: Admin,
  topic: string,
): Promise<Map<number, { low: bigint; high: bigint }>> {
  const offsets = await admin.fetchTopicOffsets(topic).catch((error: Error) => {
    throw new CliError(`cannot read the offsets of topic '${topic}': ${error.message}`);
  });
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}
