import path from 'node:path';
import {
  defaultSchemasDir,
  INTEGRATION_TOPIC,
  loadSchemaCatalog,
  topicOfUserRecord,
  userTopicNames,
  UserTopics,
} from '@eventfold/avro';
import { integrationTopic, userTopology } from '@eventfold/kafka';
import { usersAsyncApi, type AsyncApiRecord, type AsyncApiTopic, type TopicKey } from '@eventfold/users-api';

/** The partitions of a deployment that does not set PARTITIONS. */
export const DEFAULT_PARTITIONS = 12;

const repoRoot = path.resolve(defaultSchemasDir, '..');

/**
 * eventfold's topics as an AsyncAPI document, from the topic settings the services create (userTopology,
 * integrationTopic) and the schemas they register: `eventfold asyncapi` prints it, and the repository keeps its
 * output as packages/users-api/asyncapi.json, which a test holds to this.
 */
export function asyncApiDocument(partitions = DEFAULT_PARTITIONS): Record<string, unknown> {
  const names = userTopicNames('');
  const specs = [
    ...userTopology({ topics: names, partitions, replicationFactor: 1, minInsyncReplicas: 1 }),
    integrationTopic({ topic: INTEGRATION_TOPIC, partitions }),
  ];
  const topicNames: Record<TopicKey, string> = { ...names, integration: INTEGRATION_TOPIC };
  const catalog = [...loadSchemaCatalog().values()];
  const recordsOf = (topic: string): AsyncApiRecord[] =>
    catalog
      .filter((r) => topicOfUserRecord(r.fullName) === topic)
      .map((r) => ({
        fullName: r.fullName,
        schema: r.current.json,
        file: path.relative(repoRoot, r.current.file),
      }));
  const keys = Object.keys(topicNames) as TopicKey[];
  const topics = Object.fromEntries(
    keys.map((key) => {
      const spec = specs.find((s) => s.topic === topicNames[key])!;
      return [
        key,
        { topic: spec.topic, partitions: spec.partitions, config: spec.config } satisfies AsyncApiTopic,
      ];
    }),
  ) as Record<TopicKey, AsyncApiTopic>;
  const records = Object.fromEntries(
    keys.map((key) => [key, recordsOf(key === 'eventsDlq' ? UserTopics.events : topicNames[key])]),
  ) as Record<TopicKey, AsyncApiRecord[]>;
  return usersAsyncApi({ topics, records, replicationFactor: 1 });
}
