import fs from 'node:fs';
import path from 'node:path';
import type { InfraPaths } from '../paths';
import { httpOk } from '../probes';
import { run } from '../run';
import { installOnce } from './installOnce';
import { javaAtLeast } from './java';
import { HOST, type ServerSpec } from './serverSpec';

export const APICURIO_VERSION = '3.3.3';

/**
 * Apicurio Registry with its Confluent-compatible API at /apis/ccompat/v7. Storage is in memory: schemas are
 * registered again by whoever starts after it. BACKWARD_TRANSITIVE is set globally, since without a global rule
 * Apicurio enforces no compatibility at all.
 */
export function registryServer(port = 8081, managementPort = 9001): ServerSpec {
  const appDir = (paths: InfraPaths) => path.join(paths.cacheDir, `apicurio-${APICURIO_VERSION}`);
  return {
    name: 'registry',
    address: `http://${HOST}:${port}/apis/ccompat/v7`,
    ports: [port, managementPort],
    readyTimeoutMs: 120_000,
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
          '-jar',
          path.join(appDir(paths), 'quarkus-run.jar'),
        ],
      };
    },
    isReady: () => httpOk(`http://${HOST}:${managementPort}/health/ready`),
  };
}
