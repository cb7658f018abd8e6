import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { spawnService, waitFor, type ServiceProcess } from '@eventfold/testing';
import { serviceEnv, type ReadSideEnv } from '@eventfold/system-tests';

/**
 * `BENCH_CPU_PROF=projector,command` runs those services under `node --cpu-prof`, writing .cpuprofile files into
 * bench/profiles/ when they stop (open them in Chrome DevTools or speedscope).
 */
function nodeArgs(service: string): string[] {
  const wanted = (process.env.BENCH_CPU_PROF ?? '').split(',').map((s) => s.trim());
  if (!wanted.includes(service)) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.resolve(__dirname, '..', '..', 'profiles')}`];
}

/** Every process this run spawned and has not stopped yet: none may outlive the run, whatever failed. */
const running = new Set<ServiceProcess>();

async function track(started: Promise<ServiceProcess>): Promise<ServiceProcess> {
  const service = await started;
  running.add(service);
  void service.exited.then(() => running.delete(service));
  return service;
}

/** Stops what is still running (a benchmark that failed half-way); kill -9 of the rest when the process exits. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((s) => stopService(s)));
}
process.on('exit', () => {
  for (const service of running) service.child.kill('SIGKILL');
});

const mainOf = (service: string) =>
  path.resolve(__dirname, '..', '..', '..', 'services', service, 'src', 'main.ts');

/**
 * A backend service as its own process (its main.ts, as production runs it), on one isolated system's topics and
 * databases, logging at the production default (info) into a temporary file.
 */
export function spawnBackend(
  service: 'command' | 'projector' | 'query' | 'notifier' | 'integration',
  env: ReadSideEnv,
  extra: Record<string, string> = {},
  main: string = mainOf(service),
): Promise<ServiceProcess> {
  return track(
    spawnService(main, serviceEnv(env, { LOG_LEVEL: 'info', ...extra }), {
      nodeArgs: nodeArgs(service),
    }),
  );
}

/**
 * The embedded mode (`pnpm start`: the five services in one process on SQLite, services/embedded) as its own
 * process, its data in `dataDir`, ready once its /readyz answers. `env` adds API_KEYS, limits.
 */
export function spawnEmbedded(dataDir: string, env: Record<string, string>): Promise<ServiceProcess> {
  return track(
    spawnService(
      mainOf('embedded'),
      { EVENTFOLD_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      {
        nodeArgs: nodeArgs('embedded'),
      },
    ),
  );
}

/**
 * A gateway process in front of the given backends, with one API key of every scope and rate limits out of the
 * way (they would cap, not measure). Ready once it answers /healthz: its /readyz needs both backends.
 */
export async function spawnGateway(options: {
  commandUrl: string;
  queryUrl: string;
  apiKey: string;
}): Promise<ServiceProcess> {
  const gateway = await track(
    spawnService(
      mainOf('gateway'),
      {
        COMMAND_URL: options.commandUrl,
        QUERY_URL: options.queryUrl,
        API_KEYS: `${options.apiKey}=users:read+users:write+admin`,
        API_KEY_ID_SECRET: randomBytes(32).toString('base64'),
        RATE_LIMIT_PER_SECOND: '1000000',
        RATE_LIMIT_BURST: '1000000',
        // Every request comes from one address: limited so high that the limiter's cost is measured, not its refusals.
        ADDRESS_RATE_LIMIT_PER_SECOND: '1000000',
        ADDRESS_RATE_LIMIT_BURST: '1000000',
        LOG_LEVEL: 'info',
      },
      { waitReady: false, nodeArgs: nodeArgs('gateway') },
    ),
  );
  await waitForHealthy(gateway);
  return gateway;
}

/** A process of ours that is not a service (a raw baseline server), run through tsx like the services. */
export async function spawnScript(main: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const script = await track(spawnService(main, env, { waitReady: false }));
  await waitForHealthy(script);
  return script;
}

async function waitForHealthy(service: ServiceProcess): Promise<void> {
  await waitFor(
    async () => {
      if (service.child.exitCode !== null) throw new Error(`exited; log: ${service.logFile}`);
      return (await fetch(`${service.url}/healthz`).catch(() => null))?.ok;
    },
    { timeoutMs: 60_000, intervalMs: 100, description: `${service.url}/healthz (log: ${service.logFile})` },
  );
}

/** SIGTERM (the service leaves its consumer group at once), then -9 if it has not exited within 15 s. */
export async function stopService(service: ServiceProcess): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 15_000);
  await service.exited;
  clearTimeout(timer);
}
