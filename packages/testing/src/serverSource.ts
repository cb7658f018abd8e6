import { spawnSync } from 'node:child_process';

/** Where a test's servers come from when the environment names none. */
export type ServerSource = 'testcontainers' | 'local processes';

/** Whether a Docker engine answers `docker info` within 5 s (false at once where there is no docker command). */
export function dockerAnswers(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5000,
    stdio: 'ignore',
  });
  return result.status === 0;
}

/**
 * testcontainers where a Docker engine answers, unless `EVENTFOLD_INFRA=local` (then Docker is not even asked);
 * else the local processes of packages/infra. The harness's servers and the legacy PostgreSQL of the migration
 * tests choose by this one rule.
 */
export function serverSource(
  env: Readonly<Record<string, string | undefined>>,
  docker: () => boolean = dockerAnswers,
): ServerSource {
  return env.EVENTFOLD_INFRA !== 'local' && docker() ? 'testcontainers' : 'local processes';
}
