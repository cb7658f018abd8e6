import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { PartitionReader } from '@eventfold/kafka';
import type { Logger } from '@eventfold/observability';
import { CLI_READER_GROUP_PREFIX, topicEnds, withAdmin } from '../cluster/kafkaAdmin';
import { CliError, type Output } from './output';
import { emptyGroup } from './replay';

/** One dead letter, whichever consumer wrote it (the projector's headers or the notifier's JSON body). */
export interface DeadLetterView {
  readonly dlqPartition: number;
  readonly dlqOffset: string;
  readonly key: string | null;
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  /** The consumer group that gave up, when the letter says. */
  readonly groupId: string | null;
  readonly reason: string;
  readonly message: string;
  readonly attempts: number;
  readonly at: string;
  /** The notification a notifier letter gave up on (its ledger key is `eventId:template`). */
  readonly notification: { readonly eventId: string; readonly template: string } | null;
}

const header = (message: KafkaMessage, name: string): string | null => {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
};

export function deadLetterView(partition: number, message: KafkaMessage): DeadLetterView {
  const base = { dlqPartition: partition, dlqOffset: message.offset, key: message.key?.toString() ?? null };
  const sourceTopic = header(message, 'dlq-source-topic');
  if (sourceTopic !== null) {
    return {
      ...base,
      source: {
        topic: sourceTopic,
        partition: Number(header(message, 'dlq-source-partition')),
        offset: header(message, 'dlq-source-offset') ?? '0',
      },
      groupId: header(message, 'dlq-consumer-group'),
      reason: header(message, 'dlq-error-code') ?? 'unknown',
      message: header(message, 'dlq-error-message') ?? '',
      attempts: Number(header(message, 'dlq-attempts') ?? '0'),
      at: header(message, 'dlq-at') ?? new Date(Number(message.timestamp)).toISOString(),
      notification: null,
    };
  }
  try {
    const letter = JSON.parse(message.value?.toString() ?? '') as {
      source: DeadLetterView['source'];
      reason: string;
      error?: { message?: string; code?: string };
      attempts: number;
      deadLetteredAt: string;
      eventId?: string | null;
      template?: string | null;
    };
    return {
      ...base,
      source: letter.source,
      groupId: header(message, 'dlq-consumer-group'),
      reason: letter.reason,
      message: letter.error?.message ?? letter.error?.code ?? '',
      attempts: letter.attempts,
      at: letter.deadLetteredAt,
      notification:
        letter.eventId && letter.template ? { eventId: letter.eventId, template: letter.template } : null,
    };
  } catch {
    throw new CliError(`dlq: record ${partition}/${message.offset} is not a dead letter eventfold wrote`);
  }
}

/** The group whose committed offsets on the DLQ mark the letters already redriven. */
export const redriveMarkerGroup = (dlqTopic: string) => `eventfold.dlq-redriven.${dlqTopic}`;

/** Dead letters not yet redriven: from the marker group's offsets (or the start) to the end of the DLQ. */
export async function pendingDeadLetters(
  kafka: Kafka,
  dlqTopic: string,
  logger: Logger,
): Promise<DeadLetterView[]> {
  const { ends, marks } = await withAdmin(kafka, async (admin) => ({
    ends: await topicEnds(admin, dlqTopic),
    marks: await redrivenUpTo(admin, dlqTopic),
  }));
  const reader = await PartitionReader.start(kafka, [dlqTopic], logger, `${CLI_READER_GROUP_PREFIX}dlq`);
  const letters: DeadLetterView[] = [];
  try {
    for (const [partition, { low }] of ends) {
      const from = marks.get(partition) ?? low;
      await reader.read(dlqTopic, partition, from > low ? from : low, (m) =>
        letters.push(deadLetterView(partition, m)),
      );
    }
  } finally {
    await reader.stop();
  }
  return letters;
}

async function redrivenUpTo(admin: Admin, dlqTopic: string): Promise<Map<number, bigint>> {
  const [offsets] = await admin.fetchOffsets({ groupId: redriveMarkerGroup(dlqTopic), topics: [dlqTopic] });
  return new Map(
    (offsets?.partitions ?? [])
      .filter((p) => Number(p.offset) >= 0)
      .map((p) => [p.partition, BigInt(p.offset)]),
  );
}

export function printDeadLetters(letters: readonly DeadLetterView[], dlqTopic: string, out: Output): void {
  if (letters.length === 0) {
    out.line(`${dlqTopic}: no dead letters waiting`);
    return;
  }
  out.line(['DLQ', 'SOURCE', 'GROUP', 'KEY', 'REASON', 'ATTEMPTS', 'AT', 'MESSAGE'].join('\t'));
  for (const l of letters)
    out.line(
      [
        `${l.dlqPartition}/${l.dlqOffset}`,
        `${l.source.topic}[${l.source.partition}]@${l.source.offset}`,
        l.groupId ?? '-',
        l.key ?? '-',
        l.reason,
        l.attempts,
        l.at,
        l.message,
      ].join('\t'),
    );
  out.line(`${dlqTopic}: ${letters.length} dead letter${letters.length === 1 ? '' : 's'} waiting`);
}

export interface RedriveOptions {
  readonly dlqTopic: string;
  /** The group to redrive into when the letters do not name one (the notifier's). */
  readonly groupId?: string;
  readonly wait: boolean;
  readonly waitMs: number;
  /**
   * Makes the consumer willing to process the letters again once replayed (the notifier's ledger remembers a
   * notification it gave up on, and would suppress it); called while the group is empty. Answers how many.
   */
  readonly reopen?: (letters: readonly DeadLetterView[]) => Promise<number>;
}

/**
 * Redrives dead letters by replay, not by copying: the group that gave up is moved back to the first dead-lettered
 * offset of each partition, so the record and everything after it are processed again in log order, which the
 * consumers' idempotence (version guard, notification ledger) makes harmless. The event log is never written: a
 * copied event would be a second event with the same stream version. Then the letters are marked redriven.
 */
export async function redrive(
  kafka: Kafka,
  options: RedriveOptions,
  logger: Logger,
  out: Output,
): Promise<void> {
  const letters = await pendingDeadLetters(kafka, options.dlqTopic, logger);
  if (letters.length === 0) {
    out.line(`${options.dlqTopic}: nothing to redrive`);
    return;
  }
  const rewinds = new Map<string, Map<string, Map<number, bigint>>>();
  for (const letter of letters) {
    const groupId = letter.groupId ?? options.groupId;
    if (!groupId)
      throw new CliError(
        `dlq redrive: the letters of ${options.dlqTopic} do not name their consumer group: pass --group`,
      );
    const topics = rewinds.get(groupId) ?? new Map<string, Map<number, bigint>>();
    const partitions = topics.get(letter.source.topic) ?? new Map<number, bigint>();
    const offset = BigInt(letter.source.offset);
    const known = partitions.get(letter.source.partition);
    partitions.set(letter.source.partition, known === undefined || offset < known ? offset : known);
    topics.set(letter.source.topic, partitions);
    rewinds.set(groupId, topics);
  }
  await withAdmin(kafka, async (admin) => {
    for (const [groupId, topics] of rewinds) {
      const group = await emptyGroup(
        admin,
        { groupId, wait: options.wait, waitMs: options.waitMs },
        out,
        'dlq redrive',
      );
      for (const [topic, partitions] of topics) {
        const committed = group.committed.get(topic) ?? new Map<number, bigint>();
        const moves = [...partitions].filter(([p, offset]) => (committed.get(p) ?? -1n) > offset);
        if (moves.length === 0) continue;
        await admin.setOffsets({
          groupId,
          topic,
          partitions: moves.map(([partition, offset]) => ({ partition, offset: offset.toString() })),
        });
        for (const [partition, offset] of moves)
          out.line(
            `${groupId}: ${topic}[${partition}] ${committed.get(partition)!.toString()} → ${offset.toString()}`,
          );
      }
    }
    // Marks only what was read: a letter written meanwhile stays pending.
    const marks = new Map<number, bigint>();
    for (const l of letters) marks.set(l.dlqPartition, BigInt(l.dlqOffset) + 1n);
    await admin.setOffsets({
      groupId: redriveMarkerGroup(options.dlqTopic),
      topic: options.dlqTopic,
      partitions: [...marks].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
    });
  });
  out.line(
    `✓ ${letters.length} dead letter${letters.length === 1 ? '' : 's'} redriven: their consumers reprocess them when they restart`,
  );
}
