import path from 'node:path';
import { declaredServices } from '@eventfold/infra';
import { readCommandServiceConfig } from '@eventfold/command-service';
import { readGatewayConfig } from '@eventfold/gateway-service';
import { readIntegrationConfig } from '@eventfold/integration-service';
import { readMigratorConfig } from '@eventfold/migrator-service';
import { readNotifierConfig } from '@eventfold/notifier-service';
import { readProjectorConfig } from '@eventfold/projector-service';
import { readQueryServiceConfig } from '@eventfold/query-service';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Reads a service's configuration from an environment exactly as its main.ts does (it throws when invalid). */
export type ConfigReader = (env: NodeJS.ProcessEnv) => { readonly port: number };

/** Each service's own config function: the one place that says which variables it reads. */
const readers: Readonly<Record<string, ConfigReader>> = {
  command: (env) => readCommandServiceConfig(env, 'deploy-check'),
  gateway: (env) => readGatewayConfig(env),
  integration: (env) => readIntegrationConfig(env, 'deploy-check'),
  migrator: (env) => readMigratorConfig(env),
  notifier: (env) => readNotifierConfig(env, 'deploy-check'),
  projector: (env) => readProjectorConfig(env, 'deploy-check'),
  query: (env) => readQueryServiceConfig(env),
};

export interface ServiceDefinition {
  /** Its folder under services/, also its name in docker-compose.yml and in k8s/. */
  readonly name: string;
  /** Relative to the repository root: the PACKAGE_DIR of its image. */
  readonly dir: string;
  /** `"eventfold": { "port": N }` of its package.json. */
  readonly port: number;
  /**
   * `"eventfold": { "profile": "migration" }`: it runs only when asked for, under a compose profile of that name
   * and from a k8s component (k8s/components/<name>) rather than the base. Null for the services that always run.
   */
  readonly profile: string | null;
  readonly readConfig: ConfigReader;
}

/** Every service under services/ (those that declare a port), each with its config reader. */
export function services(): ServiceDefinition[] {
  return declaredServices(path.join(repoRoot, 'services')).map(({ name, port, profile }) => {
    const readConfig = readers[name];
    if (!readConfig)
      throw new Error(`services/${name} has no config reader in deploy/src/services/serviceCatalog.ts`);
    return { name, dir: `services/${name}`, port, profile, readConfig };
  });
}

/**
 * The variables a service reads, found by running its config reader on an environment that records every name
 * asked for: with no variables set (its defaults) and with `env` (readers may ask for more when some are set).
 */
export function variablesRead(service: ServiceDefinition, env: NodeJS.ProcessEnv = {}): Set<string> {
  const names = new Set<string>();
  for (const values of [{}, env]) {
    const recording = new Proxy(values, {
      get(target, name) {
        if (typeof name === 'string') names.add(name);
        return target[name as string];
      },
    });
    try {
      service.readConfig(recording);
    } catch {
      // Invalid values are checked separately; here only the names matter.
    }
  }
  return names;
}

/**
 * Variables an image sets for Node.js and its libraries rather than for a service: allowed although no config
 * reader asks for them.
 */
export const runtimeVariables: Readonly<Record<string, string>> = {
  NODE_ENV: 'express switches to production behaviour (no stack traces in its default error pages)',
};
