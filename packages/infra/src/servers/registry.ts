import fs from 'node:fs';
import path from 'node:path';
import type { InfraPaths } from '../paths';
import { httpOk } from '../probes';
import { run } from '../run';
import { installOnce } from './installOnce';
import { javaAtLeast } from './java';
import { HOST, type ServerSpec } from './serverSpec';

export const APICURIO_VERSION = '3.3.3';

/** The registry's own topics on the local Kafka: its journal (every change), snapshots of it, and its events. */
export const REGISTRY_TOPICS = Object.freeze({
  journal: '_registry-journal',
  snapshots: '_registry-snapshots',
  events: '_registry-events',
} as const);

/**
 * Apicurio Registry with its Confluent-compatible API at /apis/ccompat/v7. Its storage is the local Kafka
 * (`kafkasql`: every change is appended to a topic of the same broker, as Confluent's registry keeps `_schemas`,
 * and replayed into memory at start-up), so the schema ids that records carry in their framing live exactly as
 * long as the records: a stop, a `kill -9` or a restart of the registry keeps them, and `infra:down --purge`
 * deletes both together (issue 25). It starts after Kafka. BACKWARD_TRANSITIVE is set globally, since without a
 * global rule Apicurio enforces no compatibility at all (the services also set each subject's rule).
 */
export function registryServer(port = 8081, managementPort = 9001, kafkaPort = 9092): ServerSpec {
  const appDir = (paths: InfraPaths) => path.join(paths.cacheDir, `apicurio-${APICURIO_VERSION}`);
  return {
    name: 'registry',
    address: `http://${HOST}:${port}/apis/ccompat/v7`,
    ports: [port, managementPort],
    readyTimeoutMs: 120_000,
    after: ['kafka'],
    async install(paths, say) {
      await installOnce(appDir(paths), async (scratch) => {
        say(`registry: downloading Apicurio Registry ${APICURIO_VERSION} with Maven`);
        await run(
          'mvn',
          [
            '-B',
            '-q',
            'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack',
            `-Dartifact=io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`,
            `-DoutputDirectory=${scratch}`,
          ],
          // Without a pom in the working directory Maven resolves ${project.basedir} literally: run it in scratch.
          { cwd: scratch },
        );
        fs.rmSync(path.join(scratch, '${project.basedir}'), { recursive: true, force: true });
      });
    },
    async prepare(paths) {
      fs.mkdirSync(paths.dataDir('registry'), { recursive: true });
      return {
        command: javaAtLeast(21),
        cwd: paths.dataDir('registry'),
        args: [
          '-Xmx512m',
          `-Dquarkus.http.host=${HOST}`,
          `-Dquarkus.http.port=${port}`,
          `-Dquarkus.management.host=${HOST}`,
          `-Dquarkus.management.port=${managementPort}`,
          '-Dapicurio.rules.global.compatibility=BACKWARD_TRANSITIVE',
          '-Dapicurio.storage.kind=kafkasql',
          `-Dapicurio.kafkasql.bootstrap.servers=${HOST}:${kafkaPort}`,
          `-Dapicurio.kafkasql.topic=${REGISTRY_TOPICS.journal}`,
          `-Dapicurio.kafkasql.snapshots.topic=${REGISTRY_TOPICS.snapshots}`,
          `-Dapicurio.events.kafka.topic=${REGISTRY_TOPICS.events}`,
          // An empty poll waits this long; the journal replay at start-up makes a few (5 s each by default).
          '-Dapicurio.kafkasql.consumer.poll.timeout=500',
          '-jar',
          path.join(appDir(paths), 'quarkus-run.jar'),
        ],
      };
    },
    isReady: () => httpOk(`http://${HOST}:${managementPort}/health/ready`),
  };
}
