import { InfrastructureError } from '@eventfold/core';

/** Another member owns the partition now: this owner's transaction is refused (Kafka's ProducerFenced). */
export class FencedError extends InfrastructureError {
  constructor(groupId: string, topic: string, partition: number) {
    super('PRODUCER_FENCED', `${groupId} no longer owns ${topic}[${partition}]: a newer owner fenced it`, {
      retriable: false,
    });
  }
}

export const unknownTopic = (topic: string) =>
  new InfrastructureError('TOPIC_MISSING', `Topic ${topic} does not exist`, { retriable: true });

export const partitionMismatch = (topic: string, actual: number, wanted: number) =>
  new InfrastructureError(
    'TOPIC_PARTITIONS_MISMATCH',
    `Topic ${topic} has ${actual} partitions but ${wanted} are configured: co-partitioned topics must agree (set PARTITIONS to ${actual})`,
    { retriable: false },
  );

/** A reader on another connection kept the WAL from being checkpointed and truncated: try again later. */
export const walNotTruncated = (file: string) =>
  new InfrastructureError(
    'SQLITE_WAL_NOT_TRUNCATED',
    `The WAL of ${file} could not be truncated: another connection is reading it`,
    { retriable: true },
  );
