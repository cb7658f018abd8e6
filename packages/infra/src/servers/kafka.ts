import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { InfraPaths } from '../paths';
import { run } from '../run';
import { installOnce } from './installOnce';
import {
  ensureKafkaSecurity,
  kafkaSecurityFiles,
  principalsWithoutCredentials,
  scramFormatArguments,
  secureListenerProperties,
  type KafkaSecurityFiles,
} from './kafkaSecurity';
import { HOST, type ServerSpec } from './serverSpec';

export const KAFKA_VERSION = '4.4.0';
// Any 22-character base64 id will do for a single local node; fixed so that re-formatting is a no-op.
const CLUSTER_ID = 'ZXZlbnRmb2xkLWxvY2FsMQ';

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>eventfold.local</groupId><artifactId>kafka-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;

function serverProperties(
  port: number,
  controllerPort: number,
  advertisedPort: number,
  logDirs: string,
  secure: { readonly port: number; readonly files: KafkaSecurityFiles } | null,
): string {
  const sasl = secure ? `,SASL_SSL://${HOST}:${secure.port}` : '';
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}${sasl}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${advertisedPort}${sasl}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${secure ? ',SASL_SSL:SASL_SSL' : ''}`,
    ...(secure ? secureListenerProperties(secure.files) : []),
    `log.dirs=${logDirs}`,
    'offsets.topic.replication.factor=1',
    // Fewer internal partitions than the defaults (50): a single local node creates them in a fraction of the time.
    'offsets.topic.num.partitions=12',
    'transaction.state.log.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    ...brokerThreads(os.availableParallelism()),
    '',
  ].join('\n');
}

/**
 * The broker's request threads sized to the machine it shares with everything else. Kafka's defaults (3 network
 * threads, 8 request handlers, 10 background threads) suit a server of its own; on a 2-core development machine they
 * only take turns on the cores. Alternated with `pnpm bench --only stack` on a private broker: Kafka's CPU per
 * registration 34-49 ms against 52-107 ms with the defaults while the machine was loaded, the same within noise
 * when it was quieter (README, "Local infrastructure without Docker").
 */
export function brokerThreads(cores: number): string[] {
  return [
    `num.network.threads=${Math.max(1, Math.min(3, Math.floor(cores / 2)))}`,
    `num.io.threads=${Math.max(2, Math.min(8, cores))}`,
    `background.threads=${Math.max(2, Math.min(10, cores))}`,
  ];
}

/**
 * Apache Kafka in KRaft mode, one node acting as broker and controller. `advertisedPort` is the port clients are told
 * to reconnect to (a fault proxy in front of the broker advertises itself); by default the broker's own.
 *
 * With `securePort`, a second listener: SASL_SSL with SCRAM-SHA-512 users and ACLs (StandardAuthorizer), its CA,
 * certificates and passwords generated into the data folder (`kafkaSecurity.ts`). The PLAINTEXT listener stays as
 * it was, its clients super users: the default local setup and the registry use it unchanged.
 */
export function kafkaServer(
  port = 9092,
  controllerPort = 9093,
  advertisedPort = port,
  securePort: number | null = null,
): ServerSpec {
  const libsDir = (paths: InfraPaths) => path.join(paths.cacheDir, `kafka-${KAFKA_VERSION}`);
  const classpath = (paths: InfraPaths) => `${path.join(libsDir(paths), 'libs')}/*`;
  return {
    name: 'kafka',
    address: `${HOST}:${port}${securePort === null ? '' : ` (SASL_SSL ${HOST}:${securePort})`}`,
    ports: securePort === null ? [port, controllerPort] : [port, controllerPort, securePort],
    readyTimeoutMs: 120_000,
    async install(paths, say) {
      await installOnce(libsDir(paths), async (scratch) => {
        say(`kafka: downloading Kafka ${KAFKA_VERSION} jars with Maven`);
        fs.writeFileSync(path.join(scratch, 'pom.xml'), pom);
        await run(
          'mvn',
          [
            '-B',
            '-q',
            '-f',
            path.join(scratch, 'pom.xml'),
            'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
            '-DincludeScope=runtime',
            `-DoutputDirectory=${path.join(scratch, 'libs')}`,
          ],
          { cwd: scratch },
        );
      });
    },
    async prepare(paths, say) {
      const dataDir = paths.dataDir('kafka');
      const configFile = path.join(dataDir, 'server.properties');
      const logDir = path.join(dataDir, 'logs');
      // Users can be added only by the first format: a folder formatted before the secure listener has none.
      const firstFormat = !fs.existsSync(path.join(logDir, 'meta.properties'));
      fs.mkdirSync(logDir, { recursive: true });
      const files = kafkaSecurityFiles(dataDir);
      if (securePort !== null && (await ensureKafkaSecurity(files, securePort)) && !firstFormat)
        say?.(
          `kafka: the SASL_SSL listener on ${HOST}:${securePort} has no users: its data folder was formatted before it existed (infra:down --purge, then infra:up, creates them)`,
        );
      const missing = securePort === null ? [] : principalsWithoutCredentials(files);
      if (missing.length > 0)
        say?.(
          `kafka: the SASL_SSL listener on ${HOST}:${securePort} has no user ${missing.join(', ')}: its data folder was formatted before eventfold had it (infra:down --purge, then infra:up, creates it)`,
        );
      const secure = securePort === null ? null : { port: securePort, files };
      fs.writeFileSync(configFile, serverProperties(port, controllerPort, advertisedPort, logDir, secure));
      const java = ['-cp', classpath(paths)];
      await run('java', [
        ...java,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        CLUSTER_ID,
        '-c',
        configFile,
        '--ignore-formatted',
        ...(secure && firstFormat ? scramFormatArguments(files) : []),
      ]);
      return {
        command: 'java',
        args: [
          '-Xms256m',
          '-Xmx512m',
          '-XX:+UseG1GC',
          '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
          ...java,
          'kafka.Kafka',
          configFile,
        ],
      };
    },
    // The plaintext listener only: Kafka opens its listeners together, and a broker started before the secure
    // listener existed (still running, left alone by infra:up) must count as ready.
    async isReady() {
      const admin = new Kafka({
        brokers: [`${HOST}:${port}`],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 1000,
      }).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return cluster.brokers.length > 0;
      } catch {
        return false;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
}
