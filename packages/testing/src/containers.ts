// Testcontainers, for machines with a Docker engine. Loaded only there: CI on this project's machines has no Docker
// and uses the local processes instead. The SMTP sink is the same local process in both cases.
import { down, infraPaths, smtpSinkServer, up } from '@eventfold/infra';
import type { Provisioned } from './provisioned';

export async function startContainers(say: (line: string) => void): Promise<Provisioned> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  say('starting Kafka, Apicurio Registry and two MongoDB containers');
  const [kafka, registry, mongo0, mongo1] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    new GenericContainer('apicurio/apicurio-registry:3.3.3')
      .withEnvironment({ APICURIO_RULES_GLOBAL_COMPATIBILITY: 'BACKWARD_TRANSITIVE' })
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp('/health/ready', 8080))
      .start(),
    new GenericContainer('mongo:7').withExposedPorts(27017).start(),
    new GenericContainer('mongo:7').withExposedPorts(27017).start(),
  ]);
  const smtp = [smtpSinkServer(2525)];
  await up(smtp, { say });
  const mongoUri = (c: typeof mongo0) => `mongodb://${c.getHost()}:${c.getMappedPort(27017)}/`;
  return {
    source: 'testcontainers',
    env: {
      KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
      MONGO_SHARDS: `${mongoUri(mongo0)},${mongoUri(mongo1)}`,
      SMTP_URL: 'smtp://127.0.0.1:2525',
      SMTP_MAILBOX_DIR: `${infraPaths().dataDir('smtp')}/mailbox`,
    },
    release: async () => {
      await Promise.all([kafka.stop(), registry.stop(), mongo0.stop(), mongo1.stop()]);
      await down(smtp);
    },
  };
}
