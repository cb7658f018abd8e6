import path from 'node:path';
import { userTopicNames } from '@eventfold/avro';
import { createLogger } from '@eventfold/observability';
import { randomName, spawnService, testEndpoints, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { readCommandServiceConfig } from '../../services/command/src/config';
import { startCommandService } from '../../services/command/src/commandService';
import { readProjectorConfig } from '../../services/projector/src/config';
import { startProjector } from '../../services/projector/src/projectorService';
import { readQueryServiceConfig } from '../../services/query/src/config';
import { startQueryService } from '../../services/query/src/queryService';

const logLevel = () => process.env.TEST_LOG_LEVEL ?? 'silent';

export interface ReadSideEnv {
  readonly prefix: string;
  readonly readDb: string;
  readonly partitions: number;
  /** A key store database of the system's own; the tests' shared one when absent. */
  readonly keyStoreDb?: string;
}

export function newReadSideEnv(partitions = 12): ReadSideEnv {
  return { prefix: `${randomName('rs')}.`, readDb: randomName('read').replace(/-/g, '_'), partitions };
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

export async function startCommand(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readCommandServiceConfig(serviceEnv(env, extra), randomName('command'));
  const fatal: unknown[] = [];
  const service = await startCommandService(config, {
    logger: createLogger('command', config.logLevel),
    clock: Date.now,
    onFatal: (e) => fatal.push(e),
  });
  await ready(service.url, 'the command service');
  return { ...service, fatal };
}

export async function startProjectorInProcess(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readProjectorConfig(serviceEnv(env, extra), randomName('projector'));
  const fatal: unknown[] = [];
  const service = await startProjector(config, {
    logger: createLogger('projector', config.logLevel),
    onFatal: (e) => fatal.push(e),
  });
  await ready(service.url, 'the projector');
  return { ...service, fatal };
}

export async function startQuery(env: ReadSideEnv, extra: Record<string, string> = {}) {
  const config = readQueryServiceConfig(serviceEnv(env, extra));
  const service = await startQueryService(config, { logger: createLogger('query', config.logLevel) });
  await ready(service.url, 'the query service');
  return service;
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

export const topicsOf = (env: ReadSideEnv) => userTopicNames(env.prefix);

/** One HTTP call, answered as {status, headers, body}: the command service's test helper, shared. */
export { send as call } from '../../services/command/src/testing/testCommandService';
