import { Kafka, logLevel, type Admin } from 'kafkajs';
import { testEndpoints } from './endpoints';

/**
 * A kafkajs client for a test's own reads and writes (bytes by hand, offsets, topics): on the test servers' brokers
 * unless told others, logging nothing, with the services' connection timeout.
 */
export function testKafka(
  clientId = 'test',
  brokers: readonly string[] = testEndpoints().kafkaBrokers,
): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], connectionTimeout: 3000, logLevel: logLevel.NOTHING });
}

/** Runs `use` with a connected admin client of `kafka`, and disconnects it whatever happens. */
export async function withTestAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates `topics` with `partitions` partitions each (one replica), and returns once each has a leader. */
export async function createTestTopics(
  admin: Admin,
  topics: readonly string[],
  partitions = 1,
): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  });
}
