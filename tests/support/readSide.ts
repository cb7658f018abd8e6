import path from 'node:path';
import { MongoClient } from 'mongodb';
import { userTopicNames } from '@eventfold/avro';
import { createLogger, type Logger } from '@eventfold/observability';
import { randomName, spawnService, testEndpoints, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { readCommandServiceConfig, startCommandService } from '@eventfold/command-service';
import { readIntegrationConfig, startIntegrationService } from '@eventfold/integration-service';
import { readProjectorConfig, startProjectorService } from '@eventfold/projector-service';
import { readQueryServiceConfig, startQueryService } from '@eventfold/query-service';

const logLevel = () => process.env.TEST_LOG_LEVEL ?? 'silent';

export interface ReadSideEnv {
  readonly prefix: string;
  readonly readDb: string;
  readonly partitions: number;
  /** A key store database of the system's own; the tests' shared one when absent. */
  readonly keyStoreDb?: string;
}

/**
 * The key store database of the system with this prefix: its own, so that the system meets as many keys as it has
 * people (FerretDB's SQLite backend scans the key collection on every lookup by `$in`), not every test run's before
 * it: at 20,000 keys and with the machine loaded, one lookup took 28 s and every transaction ran out of time.
 */
export const keyStoreDbOf = (prefix: string) => `keys_${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;

export function newReadSideEnv(partitions = 12, options: { ownKeyStore?: boolean } = {}): ReadSideEnv {
  const prefix = `${randomName('rs')}.`;
  return {
    prefix,
    readDb: randomName('read').replace(/-/g, '_'),
    partitions,
    ...(options.ownKeyStore ? { keyStoreDb: keyStoreDbOf(prefix) } : {}),
  };
}

/** Drops the system's own key store database, if it has one (the shared one stays). */
export async function dropOwnKeyStore(env: ReadSideEnv): Promise<void> {
  if (!env.keyStoreDb) return;
  const client = await new MongoClient(testEndpoints().mongoShards[0]!).connect();
  try {
    await client.db(env.keyStoreDb).dropDatabase();
  } finally {
    await client.close();
  }
}

/** The environment the services read, for one isolated test system (its own topics, groups and databases). */
export function serviceEnv(env: ReadSideEnv, extra: Record<string, string> = {}): Record<string, string> {
  const endpoints = testEndpoints();
  return {
    ...testKeyEnvironment(env.keyStoreDb),
    PORT: '0',
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    MONGO_SHARDS: endpoints.mongoShards.join(','),
    TOPIC_PREFIX: env.prefix,
    READ_DB: env.readDb,
    PARTITIONS: String(env.partitions),
    LOG_LEVEL: logLevel(),
    ...extra,
  };
}

async function ready(url: string, what: string): Promise<void> {
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, {
    timeoutMs: 90_000,
    description: `${what} to be ready`,
  });
}

/** Starts a service in this process, its fatal errors collected (a test asserts there were none); once ready. */
async function inProcess<S extends { readonly url: string }>(
  what: string,
  name: string,
  logLevel: string,
  start: (deps: { logger: Logger; onFatal: (error: unknown) => void }) => Promise<S>,
): Promise<S & { readonly fatal: unknown[] }> {
  const fatal: unknown[] = [];
  const service = await start({ logger: createLogger(name, logLevel), onFatal: (e) => fatal.push(e) });
  await ready(service.url, what);
  return { ...service, fatal };
}

export async function startCommand(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readCommandServiceConfig(serviceEnv(env, extra), randomName('command'));
  return inProcess('the command service', 'command', config.logLevel, (deps) =>
    startCommandService(config, { ...deps, clock: Date.now }),
  );
}

export async function startProjectorInProcess(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readProjectorConfig(serviceEnv(env, extra), randomName('projector'));
  return inProcess('the projector', 'projector', config.logLevel, (deps) =>
    startProjectorService(config, deps),
  );
}

export async function startQuery(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readQueryServiceConfig(serviceEnv(env, extra));
  return inProcess('the query service', 'query', config.logLevel, (deps) => startQueryService(config, deps));
}

/** The integration translator (docs/decisions/0017-public-integration-topic.md): users.integration.v1 of the system. */
export async function startIntegration(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readIntegrationConfig(serviceEnv(env, extra), randomName('integration'));
  return inProcess('the integration translator', 'integration', config.logLevel, (deps) =>
    startIntegrationService(config, deps),
  );
}

export function spawnProjector(
  env: ReadSideEnv,
  extra: Record<string, string> = {},
  options: { waitReady?: boolean } = {},
) {
  return spawnService(
    path.resolve(__dirname, '..', '..', 'services', 'projector', 'src', 'main.ts'),
    { ...serviceEnv(env, extra), LOG_LEVEL: 'info' },
    options,
  );
}

/** The integration translator's main.ts as its own process, for tests that kill it with -9 (see spawnService). */
export function spawnIntegration(
  env: ReadSideEnv,
  extra: Record<string, string> = {},
  options: { waitReady?: boolean } = {},
) {
  return spawnService(
    path.resolve(__dirname, '..', '..', 'services', 'integration', 'src', 'main.ts'),
    { ...serviceEnv(env, extra), LOG_LEVEL: 'info' },
    options,
  );
}

export const topicsOf = (env: ReadSideEnv) => userTopicNames(env.prefix);

/** One HTTP call, answered as {status, headers, body}: the command service's test helper, shared. */
export { send as call } from '@eventfold/command-service/testing';
