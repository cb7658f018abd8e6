import type { Admin } from 'kafkajs';
import { InfrastructureError } from '@eventfold/core';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Creates the topics that do not exist, with their settings, and checks the partition count of those that do: a
 * topic co-partitioned with another (commands and events) must never silently differ.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
): Promise<{ created: string[] }> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const present = specs.filter((s) => existing.has(s.topic));
  if (present.length > 0) {
    const { topics } = await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) });
    for (const spec of present) {
      const actual = topics.find((t) => t.name === spec.topic)?.partitions.length;
      if (actual !== spec.partitions) {
        throw new InfrastructureError(
          'TOPIC_PARTITIONS_MISMATCH',
          `Topic ${spec.topic} has ${actual} partitions but ${spec.partitions} are configured: co-partitioned topics must agree (set PARTITIONS to ${actual})`,
          { retriable: false },
        );
      }
    }
  }
  return { created: missing.map((s) => s.topic) };
}
