import { down, infraPaths, localEndpoints, localServers, up } from '@eventfold/infra';
import { endpointVariables } from './endpoints';
import type { Provisioned } from './provisioned';
import { serverSource } from './serverSource';

export type { Provisioned };

/**
 * Endpoints from the environment when all are set (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, MONGO_SHARDS, SMTP_URL);
 * else testcontainers where a Docker engine answers (unless EVENTFOLD_INFRA=local); else the local processes of
 * packages/infra, started on demand. Only what this run started is stopped afterwards.
 */
export async function provisionInfrastructure(
  say: (line: string) => void = () => undefined,
): Promise<Provisioned> {
  if (endpointVariables.every((name) => process.env[name])) {
    const env = Object.fromEntries(endpointVariables.map((name) => [name, process.env[name]!]));
    return { source: 'environment', env, release: async () => undefined };
  }
  if (serverSource(process.env) === 'testcontainers') {
    const { startContainers } = await import('./containers');
    return startContainers(say);
  }
  const servers = localServers();
  const results = await up(servers, { say });
  const startedHere = new Set(results.filter((r) => r.outcome === 'started').map((r) => r.server));
  return {
    source: 'local processes',
    env: { ...localEndpoints, SMTP_MAILBOX_DIR: `${infraPaths().dataDir('smtp')}/mailbox` },
    release: async () => {
      if (process.env.EVENTFOLD_KEEP_INFRA) return;
      await down(servers.filter((s) => startedHere.has(s.name)));
    },
  };
}
