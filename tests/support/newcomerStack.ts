import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { declaredServices, endpointsOf, infraPaths, ownPorts, portLayout, runsWith } from '@eventfold/infra';
import { eventfold } from '@eventfold/cli/testing';

const repoRoot = path.resolve(__dirname, '..', '..');

/** What the test's own harness put into the environment: a newcomer has none of it. */
const HARNESS_VARIABLES = [
  'KAFKA_BROKERS',
  'SCHEMA_REGISTRY_URL',
  'MONGO_SHARDS',
  'SMTP_URL',
  'SMTP_MAILBOX_DIR',
  'KEY_ENCRYPTION_KEY',
  'KEY_STORE_URI',
  'KEY_STORE_DB',
  'API_KEYS',
  'API_KEY_ID_SECRET',
  'INTERNAL_TOKEN',
  'COMMAND_URL',
  'QUERY_URL',
  'TOPIC_PREFIX',
  'EVENTFOLD_KEEP_INFRA',
];

export interface CommandRun {
  readonly code: number | null;
  readonly output: string;
}

/**
 * The local stack as a newcomer runs it, with `pnpm infra:*`, `pnpm stack*` and `pnpm eventfold` in a shell, on
 * servers of its own: an empty `EVENTFOLD_INFRA_HOME` and a port offset at which nothing listens, so that the
 * test's shared servers (and a developer's own stack) are untouched.
 */
export interface NewcomerStack {
  readonly home: string;
  /** Every port the stack listens on. */
  readonly ports: readonly number[];
  readonly gatewayUrl: string;
  /** Where a service of services/ listens in this stack. */
  serviceUrl(name: string): string;
  readonly registryUrl: string;
  readonly mongoShards: readonly string[];
  /** `pnpm <script> <args>` at the root of the clone, with this stack's home and offset. */
  pnpm(script: string, ...args: string[]): Promise<CommandRun>;
  /** `pnpm eventfold <args>`, run in this process with the variables a user would export for this stack. */
  eventfold(...argv: string[]): Promise<{ code: number; lines: string[]; errors: string[] }>;
  /** The development API key `pnpm stack` generated. */
  apiKey(): string;
  /** The pid of a server or service `pnpm infra:up`/`pnpm stack` started, from its pid file. */
  pid(name: string): number;
  /** `stack:down --purge`, and the home deleted. */
  destroy(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The services `pnpm stack` starts: none with a profile (the migrator), as a newcomer runs it without `--with`. */
const stackServices = () => declaredServices(path.join(repoRoot, 'services')).filter((s) => runsWith(s, []));

function portsAt(offset: number): number[] {
  return [...ownPorts(portLayout(offset)), ...stackServices().map((s) => s.port + offset)];
}

/** A stack on the first offset from `firstOffset` (in steps of 500) whose ports are all free. */
export async function newcomerStack(firstOffset: number): Promise<NewcomerStack> {
  let offset = firstOffset;
  while (!(await Promise.all(portsAt(offset).map(portFree))).every(Boolean)) {
    offset += 500;
    if (offset > firstOffset + 5000) throw new Error(`no free ports for a stack near offset ${firstOffset}`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-newcomer-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EVENTFOLD_INFRA_HOME: home,
    EVENTFOLD_PORT_OFFSET: String(offset),
  };
  for (const name of HARNESS_VARIABLES) delete env[name];
  const endpoints = endpointsOf(portLayout(offset));
  const serviceUrl = (name: string) => {
    const service = stackServices().find((s) => s.name === name);
    if (!service) throw new Error(`no service ${name} that pnpm stack starts under services/`);
    return `http://127.0.0.1:${service.port + offset}`;
  };
  const paths = infraPaths(env);

  const pnpm = (script: string, ...args: string[]) =>
    new Promise<CommandRun>((resolve, reject) => {
      const child = spawn('pnpm', ['-s', script, ...args], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, output }));
    });

  const stack: NewcomerStack = {
    home,
    ports: portsAt(offset),
    gatewayUrl: serviceUrl('gateway'),
    serviceUrl,
    registryUrl: endpoints.SCHEMA_REGISTRY_URL,
    mongoShards: endpoints.MONGO_SHARDS.split(','),
    pnpm,
    eventfold: (...argv) =>
      eventfold(
        {
          ...endpoints,
          KEY_ENCRYPTION_KEY: fs.readFileSync(path.join(home, 'dev-master-key'), 'utf8').trim(),
        },
        ...argv,
      ),
    apiKey: () => fs.readFileSync(path.join(home, 'dev-api-key'), 'utf8').trim(),
    pid(name) {
      return (JSON.parse(fs.readFileSync(paths.pidFile(name), 'utf8')) as { pid: number }).pid;
    },
    async destroy() {
      await pnpm('stack:down', '--purge');
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  return stack;
}
