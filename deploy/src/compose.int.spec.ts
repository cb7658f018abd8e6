// docker-compose.yml against the Compose Specification and against what each service reads. No Docker engine is
// needed: the schema is Compose's own (from compose-go), the rest is read from the services' code.
import path from 'node:path';
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import {
  composeEnvironment,
  containerPorts,
  dependencies,
  extraHosts,
  readComposeFile,
  type ComposeFile,
} from './compose/composeFile';
import { readInstructions, stageEnvironment, stagesOf } from './docker/dockerfile';
import { addressesIn } from './services/addresses';
import { repoRoot, runtimeVariables, services, variablesRead } from './services/serviceCatalog';
import { composeSpecSchema } from './tools/composeSchema';
import { REGISTRY_TOPICS } from '@eventfold/infra';
import { readMigratorConfig } from '@eventfold/migrator-service';
import { composeEnvFile, generateDevelopmentSecrets } from './secrets/developmentSecrets';

const composePath = path.join(repoRoot, 'docker-compose.yml');
// As `docker compose` sees it after `pnpm secrets:generate` wrote .env, with nothing else exported in the shell:
// every other default applies.
const secrets = generateDevelopmentSecrets();
const compose: ComposeFile = readComposeFile(composePath, composeEnvFile(secrets));
const eventfoldServices = services();

/** Go's time.ParseDuration syntax, for the schema's one format. */
const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^[-+]?0$/;

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('duration', goDuration);
    const validate = ajv.compile(await composeSpecSchema());
    const valid = validate(compose);
    expect(valid ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    // The first run downloads compose-go's module (well under a second on a warm proxy).
  }, 300_000);

  it('ships no secret: without the generated .env it does not start, and says how to make one', () => {
    expect(() => readComposeFile(composePath, {})).toThrow(
      /^EVENTFOLD_\w+ is required: run pnpm secrets:generate \(writes \.env with keys of your own\)$/,
    );
    const keys = composeEnvironment(compose.services.gateway!);
    expect(keys.API_KEYS).toBe(`${secrets.apiKey}=users:read+users:write+admin`);
    for (const name of ['command', 'projector', 'notifier', 'integration'])
      expect(composeEnvironment(compose.services[name]!).KEY_ENCRYPTION_KEY).toBe(secrets.masterKey);
  });

  it('depends only on services it defines, and waits for health only where a healthcheck exists', () => {
    const problems = Object.entries(compose.services).flatMap(([name, service]) =>
      Object.entries(dependencies(service)).flatMap(([target, condition]) => {
        const other = compose.services[target];
        if (!other) return [`${name} depends on ${target}, which is not defined`];
        if (condition === 'service_healthy' && !other.healthcheck && !other.build)
          return [`${name} waits for ${target} to be healthy, which has no healthcheck`];
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('runs every service under services/, built from the Dockerfile with its own package', () => {
    for (const service of eventfoldServices) {
      const entry = compose.services[service.name];
      expect(entry).toBeDefined();
      expect(entry!.image).toBe(`eventfold/${service.name}:dev`);
      expect(entry!.build).toEqual({
        context: '.',
        dockerfile: 'docker/service.Dockerfile',
        args: { PACKAGE_DIR: service.dir },
      });
      expect(fs.existsSync(path.join(repoRoot, service.dir, 'src', 'main.ts'))).toBe(true);
    }
  });

  it('starts a service with a profile (the migrator) only under that compose profile, the others always', () => {
    const profiles = eventfoldServices.map((service) => ({
      service: service.name,
      profiles: compose.services[service.name]!.profiles ?? [],
    }));
    expect(profiles).toEqual(
      eventfoldServices.map((service) => ({
        service: service.name,
        profiles: service.profile ? [service.profile] : [],
      })),
    );
    expect(eventfoldServices.find((service) => service.name === 'migrator')?.profile).toBe('migration');
    // Nothing that always starts may wait for what starts only under a profile.
    const problems = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.profiles ?? []).length > 0
        ? []
        : Object.keys(dependencies(service)).flatMap((target) =>
            (compose.services[target]?.profiles ?? []).length > 0 ? [`${name} depends on ${target}`] : [],
          ),
    );
    expect(problems).toEqual([]);
  });

  it("gives the migrator the legacy database, source and table of the shell's EVENTFOLD_ variables", () => {
    const legacy = 'postgres://replicator:secret@legacy-db.internal:5432/crm';
    const file = readComposeFile(composePath, {
      ...composeEnvFile(secrets),
      EVENTFOLD_LEGACY_DATABASE_URL: legacy,
      EVENTFOLD_MIGRATION_SOURCE: 'crm',
      EVENTFOLD_MIGRATION_TABLE: 'customers',
    });
    const config = readMigratorConfig({
      ...imageEnvironment(),
      ...composeEnvironment(file.services.migrator!),
    });
    expect({ legacyUrl: config.legacyUrl, source: config.source, table: config.table }).toEqual({
      legacyUrl: legacy,
      source: 'crm',
      table: 'customers',
    });
  });

  it('sets only variables that each service reads, with values its configuration accepts', () => {
    const image = imageEnvironment();
    for (const service of eventfoldServices) {
      const env = { ...image, ...composeEnvironment(compose.services[service.name]!) };
      const read = variablesRead(service, env);
      const unread = Object.keys(env).filter((name) => !read.has(name) && !(name in runtimeVariables));
      expect({ service: service.name, unread }).toEqual({ service: service.name, unread: [] });
      // Throws with every invalid value listed, as the service would at start.
      const config = service.readConfig(env);
      expect({ service: service.name, port: config.port }).toEqual({
        service: service.name,
        port: service.port,
      });
    }
  });

  it('points every address at a service it defines (or a host it maps itself), and at the port it listens on', () => {
    const ports = new Map(eventfoldServices.map((service) => [service.name, service.port]));
    const problems = eventfoldServices.flatMap((service) =>
      Object.entries(composeEnvironment(compose.services[service.name]!)).flatMap(([name, value]) =>
        addressesIn(value).flatMap(({ host, port }) => {
          // The migrator's legacy database is outside Compose by nature: on the Docker host (extra_hosts).
          if (extraHosts(compose.services[service.name]!).includes(host)) return [];
          if (!compose.services[host]) return [`${service.name} ${name}: ${host} is not a compose service`];
          const expected = ports.get(host);
          return expected !== undefined && port !== expected
            ? [`${service.name} ${name}: ${host} listens on ${expected}, not ${port}`]
            : [];
        }),
      ),
    );
    expect(problems).toEqual([]);
  });

  it("checks each service's health on the port it listens on, and publishes only that port", () => {
    for (const service of eventfoldServices) {
      const entry = compose.services[service.name]!;
      const test = [entry.healthcheck?.test ?? []].flat().join(' ');
      expect({ service: service.name, test }).toEqual({
        service: service.name,
        test: expect.stringContaining(`fetch('http://127.0.0.1:${service.port}/readyz')`),
      });
      for (const port of containerPorts(entry))
        expect({ service: service.name, port }).toEqual({ service: service.name, port: service.port });
    }
  });

  it('keeps the registry in Kafka with the log, as infra:up does, so that a stop and start keeps the schema ids', () => {
    const registry = compose.services.registry!;
    const env = composeEnvironment(registry);
    expect(env).toMatchObject({
      APICURIO_STORAGE_KIND: 'kafkasql',
      APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: composeEnvironment(compose.services.command!).KAFKA_BROKERS,
      APICURIO_KAFKASQL_TOPIC: REGISTRY_TOPICS.journal,
      APICURIO_KAFKASQL_SNAPSHOTS_TOPIC: REGISTRY_TOPICS.snapshots,
      APICURIO_EVENTS_KAFKA_TOPIC: REGISTRY_TOPICS.events,
    });
    expect(dependencies(registry)).toMatchObject({ kafka: 'service_healthy' });
  });

  it('has the notifier decide about unconfirmable deliveries, since Mailpit keeps no mailbox it can read', () => {
    const env = composeEnvironment(compose.services.notifier!);
    expect(env.SMTP_MAILBOX_DIR).toBeUndefined();
    expect(['resend', 'assume-sent']).toContain(env.MAIL_UNCERTAIN_DELIVERY);
  });
});

/** What the image itself sets for the service process (ENV of the Dockerfile's last stage). */
function imageEnvironment(): Record<string, string> {
  const stages = stagesOf(readInstructions(path.join(repoRoot, 'docker', 'service.Dockerfile')));
  return stageEnvironment(stages.at(-1)!);
}
