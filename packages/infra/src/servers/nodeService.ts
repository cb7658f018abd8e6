import fs from 'node:fs';
import path from 'node:path';
import { httpOk } from '../probes';
import { HOST, type ServerSpec } from './serverSpec';

/** An eventfold service (services/<name>) run as its own Node process, ready when its /readyz answers 2xx. */
export function nodeService(name: string, dir: string, port: number): ServerSpec {
  return {
    name,
    address: `http://${HOST}:${port}`,
    ports: [port],
    readyTimeoutMs: 60_000,
    async install() {},
    async prepare() {
      const main = path.join(dir, 'src', 'main.ts');
      if (!fs.existsSync(main)) throw new Error(`${main} does not exist`);
      return {
        command: process.execPath,
        cwd: dir,
        args: ['--enable-source-maps', '--import', 'tsx', main],
        env: { PORT: String(port) },
      };
    },
    isReady: () => httpOk(`http://${HOST}:${port}/readyz`),
  };
}

/** A service under services/, as its package.json declares it. */
export interface DeclaredService {
  readonly name: string;
  readonly dir: string;
  readonly port: number;
  /**
   * `"eventfold": { "profile": "migration" }`: a service that runs only when asked for by that name
   * (`pnpm stack --with migration`, `docker compose --profile migration`, the k8s component), because it needs
   * something the others do not (the migrator: a legacy database). Null for the services that always run.
   */
  readonly profile: string | null;
}

/**
 * The services under `servicesDir` that declare their port in package.json (`"eventfold": { "port": 8090 }`),
 * with their profile when they have one.
 */
export function declaredServices(servicesDir: string): DeclaredService[] {
  if (!fs.existsSync(servicesDir)) return [];
  return fs
    .readdirSync(servicesDir)
    .sort()
    .flatMap((name) => {
      const manifest = path.join(servicesDir, name, 'package.json');
      if (!fs.existsSync(manifest)) return [];
      const declared = (
        JSON.parse(fs.readFileSync(manifest, 'utf8')) as { eventfold?: { port?: number; profile?: string } }
      ).eventfold;
      if (!declared?.port) return [];
      return [
        { name, dir: path.join(servicesDir, name), port: declared.port, profile: declared.profile ?? null },
      ];
    });
}

/** Whether a service runs with `profiles` asked for: those without a profile always do. */
export function runsWith(service: Pick<DeclaredService, 'profile'>, profiles: readonly string[]): boolean {
  return service.profile === null || profiles.includes(service.profile);
}

/**
 * Every service under `servicesDir` that declares its port (plus `portOffset`), as a server infra can start: those
 * without a profile, and those whose profile is among `profiles`.
 */
export function discoverServices(
  servicesDir: string,
  portOffset = 0,
  profiles: readonly string[] = [],
): ServerSpec[] {
  return declaredServices(servicesDir)
    .filter((service) => runsWith(service, profiles))
    .map(({ name, dir, port }) => nodeService(name, dir, port + portOffset));
}
