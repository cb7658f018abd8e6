import path from 'node:path';
import { spawnService, testEndpoints, testKeyEnvironment, type ServiceProcess } from '@eventfold/testing';

export type CommandProcess = ServiceProcess;

/** The command service as its own process (services/command/src/main.ts), ready when this resolves. */
export function spawnCommandProcess(
  prefix: string,
  env: Record<string, string> = {},
): Promise<CommandProcess> {
  const endpoints = testEndpoints();
  return spawnService(path.resolve(__dirname, '..', 'main.ts'), {
    ...testKeyEnvironment(),
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    TOPIC_PREFIX: prefix,
    ...env,
  });
}
