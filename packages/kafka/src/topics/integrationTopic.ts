import type { TopicSpec } from '@eventfold/core';

const HOUR_MS = 60 * 60 * 1000;

export interface IntegrationTopicOptions {
  readonly topic: string;
  /** The partitions of users.events: a user's facts go to the partition of the user's stream. */
  readonly partitions: number;
  /**
   * The longest an erased user's earlier facts (the only records with personal data) stay readable: Kafka rolls
   * and compacts a segment once its first record is this old (KIP-354). Default one hour.
   */
  readonly maxCompactionLagMs?: number;
}

/** users.integration.v1: compacted by user, so that an erasure reaches it (docs/decisions/0017-public-integration-topic.md). */
export function integrationTopic(options: IntegrationTopicOptions): TopicSpec {
  return {
    topic: options.topic,
    partitions: options.partitions,
    config: {
      'cleanup.policy': 'compact',
      'max.compaction.lag.ms': String(options.maxCompactionLagMs ?? HOUR_MS),
      'min.cleanable.dirty.ratio': '0.1',
    },
  };
}
