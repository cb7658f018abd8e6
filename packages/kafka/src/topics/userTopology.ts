import type { TopicSpec } from './ensureTopics';

export interface UserTopologyOptions {
  readonly topics: {
    readonly commands: string;
    readonly events: string;
    readonly snapshots: string;
    readonly commandResults: string;
    readonly eventsDlq: string;
  };
  /** Partitions of every users topic: commands, events and snapshots must be co-partitioned. */
  readonly partitions: number;
  readonly replicationFactor: number;
  /** 2 in production with replication factor 3; 1 locally. */
  readonly minInsyncReplicas: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The users topics and their settings (docs/decisions/0013-kafka-is-the-event-store.md, 0001 and 0002). */
export function userTopology(options: UserTopologyOptions): TopicSpec[] {
  const spec = (topic: string, config: Record<string, string>): TopicSpec => ({
    topic,
    partitions: options.partitions,
    replicationFactor: options.replicationFactor,
    config: { 'min.insync.replicas': String(options.minInsyncReplicas), ...config },
  });
  return [
    spec(options.topics.commands, { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS) }),
    // The event store: kept forever.
    spec(options.topics.events, {
      'cleanup.policy': 'delete',
      'retention.ms': '-1',
      'retention.bytes': '-1',
    }),
    // The latest state per stream: compacted, so restore is bounded by streams, not events.
    spec(options.topics.snapshots, {
      'cleanup.policy': 'compact',
      'min.cleanable.dirty.ratio': '0.1',
      'segment.ms': String(60 * 60 * 1000),
    }),
    spec(options.topics.commandResults, { 'cleanup.policy': 'delete', 'retention.ms': String(DAY_MS) }),
    spec(options.topics.eventsDlq, {
      'cleanup.policy': 'delete',
      'retention.ms': '-1',
      'retention.bytes': '-1',
    }),
  ];
}
