import { userTopicNames } from '@eventfold/avro';
import { ensureTopics, userTopology } from '@eventfold/kafka';
import { waitFor } from '@eventfold/testing';
import { newReadSideEnv, type ReadSideEnv } from '@eventfold/system-tests';
import { benchKafka } from './benchKafka';

/**
 * A fresh isolated system (random topic prefix, read database and key store) whose users topics exist and answer
 * offset requests.
 * The services create their topics too, but a command service that restores right after creating them can meet
 * "not the leader" from a busy broker, which is fatal to it by design: created here first, nothing races.
 */
export async function newSystem(partitions = 12): Promise<ReadSideEnv> {
  const env = newReadSideEnv(partitions, { ownKeyStore: true });
  const kafka = benchKafka('bench-topics');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = userTopicNames(env.prefix);
    // A busy broker may answer the creation's metadata with "does not host this topic-partition": try again.
    await waitFor(
      async () => {
        await ensureTopics(
          admin,
          userTopology({ topics, partitions, replicationFactor: 1, minInsyncReplicas: 1 }),
        );
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: `the topics of ${env.prefix}` },
    );
    for (const topic of Object.values(topics))
      await waitFor(async () => (await admin.fetchTopicOffsets(topic)).length === partitions, {
        timeoutMs: 60_000,
        description: `${topic} to answer offset requests`,
      });
  } finally {
    await admin.disconnect();
  }
  return env;
}
