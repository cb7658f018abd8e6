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

/** The services under `servicesDir` that declare their port in package.json (`"eventfold": { "port": 8090 }`). */
export function declaredServices(servicesDir: string): { name: string; dir: string; port: number }[] {
  if (!fs.existsSync(servicesDir)) return [];
  return fs
    .readdirSync(servicesDir)
    .sort()
    .flatMap((name) => {
      const manifest = path.join(servicesDir, name, 'package.json');
      if (!fs.existsSync(manifest)) return [];
      const port = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { eventfold?: { port?: number } })
        .eventfold?.port;
      return port ? [{ name, dir: path.join(servicesDir, name), port }] : [];
    });
}

/** Every service under `servicesDir` that declares its port (plus `portOffset`), as a server infra can start. */
export function discoverServices(servicesDir: string, portOffset = 0): ServerSpec[] {
  return declaredServices(servicesDir).map(({ name, dir, port }) =>
    nodeService(name, dir, port + portOffset),
  );
}
