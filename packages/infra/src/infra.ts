import fs from 'node:fs';
import { sleep } from '@eventfold/core';
import { InfraError } from './errors';
import { infraPaths, type InfraPaths } from './paths';
import { tcpAccepts } from './probes';
import { isRecordedProcessAlive, readPidRecord } from './process/pidFile';
import { spawnDetached } from './process/spawnDetached';
import { stopRecorded } from './process/stopRecorded';
import { HOST, type ServerSpec } from './servers/serverSpec';

export type UpOutcome = 'already-running' | 'started';

export interface UpResult {
  readonly server: string;
  readonly outcome: UpOutcome;
  readonly seconds: number;
}

export interface ServerStatus {
  readonly server: string;
  readonly address: string;
  readonly state: 'running' | 'stopped' | 'not-ready';
  readonly pid: number | null;
  readonly dataDir: string;
  readonly logFile: string;
}

export interface InfraOptions {
  readonly paths?: InfraPaths;
  readonly say?: (line: string) => void;
}

function prepareDirs(paths: InfraPaths): void {
  for (const dir of [paths.cacheDir, paths.runDir, paths.logDir]) fs.mkdirSync(dir, { recursive: true });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitUntilReady(
  server: ServerSpec,
  paths: InfraPaths,
  exited: Promise<number | null> | null,
): Promise<void> {
  const logFile = paths.logFile(server.name);
  const deadline = Date.now() + server.readyTimeoutMs;
  let exitCode: number | null | undefined;
  void exited?.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (await server.isReady()) return;
    if (exitCode !== undefined) {
      throw new InfraError(
        server.name,
        `exited with code ${exitCode} before it was ready:\n${tail(logFile)}\n`,
        logFile,
      );
    }
    await sleep(250);
  }
  throw new InfraError(server.name, `not ready after ${server.readyTimeoutMs / 1000} s`, logFile);
}

async function upOne(server: ServerSpec, paths: InfraPaths, say: (line: string) => void): Promise<UpResult> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const logFile = paths.logFile(server.name);
  const record = readPidRecord(paths.pidFile(server.name));
  if (record && isRecordedProcessAlive(record)) {
    await waitUntilReady(server, paths, null);
    return { server: server.name, outcome: 'already-running', seconds: seconds() };
  }
  for (const port of server.ports) {
    if (await tcpAccepts(HOST, port)) {
      throw new InfraError(
        server.name,
        `port ${HOST}:${port} is already in use by a process infra did not start`,
        logFile,
      );
    }
  }
  try {
    await server.install(paths, say);
  } catch (error) {
    throw new InfraError(server.name, `install failed: ${(error as Error).message}`, null, { cause: error });
  }
  let launch;
  try {
    launch = await server.prepare(paths, say);
  } catch (error) {
    throw new InfraError(server.name, `preparation failed: ${(error as Error).message}`, logFile, {
      cause: error,
    });
  }
  const launched = spawnDetached(launch, logFile, paths.pidFile(server.name));
  say(`${server.name}: starting (pid ${launched.record.pid})`);
  try {
    await waitUntilReady(server, paths, launched.exited);
  } catch (error) {
    // Never leave a half-started server behind: it would hold the port and confuse the next attempt.
    await stopRecorded(launched.record, 5_000);
    fs.rmSync(paths.pidFile(server.name), { force: true });
    throw error;
  }
  return { server: server.name, outcome: 'started', seconds: seconds() };
}

/**
 * Starts every server that is not running yet, in parallel (but each after the servers it names in `after`), and
 * waits until all are ready. Idempotent: a server
 * that infra started earlier and that still runs is left alone. Fails, within each server's ready timeout, with an
 * {@link InfraError} naming the first server that did not come up and its log file; the others still finish.
 */
export async function up(servers: readonly ServerSpec[], options: InfraOptions = {}): Promise<UpResult[]> {
  const paths = options.paths ?? infraPaths();
  const say = options.say ?? (() => undefined);
  prepareDirs(paths);
  const starts = new Map<string, Promise<UpResult>>();
  const start = (server: ServerSpec): Promise<UpResult> => {
    let started = starts.get(server.name);
    if (!started) {
      const first = servers.filter((s) => server.after?.includes(s.name));
      started = Promise.all(first.map(start)).then(
        () => upOne(server, paths, say),
        (error: Error) => {
          throw new InfraError(server.name, `not started, since ${error.message}`, null, { cause: error });
        },
      );
      starts.set(server.name, started);
    }
    return started;
  };
  const settled = await Promise.allSettled(servers.map(start));
  const failures = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => s.reason as Error);
  if (failures.length > 0) {
    if (failures.length === 1) throw failures[0]!;
    throw new AggregateError(failures, failures.map((f) => f.message).join('\n'));
  }
  return settled.map((s) => (s as PromiseFulfilledResult<UpResult>).value);
}

/** Stops the servers infra started (by pid file, never by name); with `purge`, deletes their data too. */
export async function down(servers: readonly ServerSpec[], options: InfraOptions & { purge?: boolean } = {}) {
  const paths = options.paths ?? infraPaths();
  const say = options.say ?? (() => undefined);
  return Promise.all(
    servers.map(async (server) => {
      const pidFile = paths.pidFile(server.name);
      const record = readPidRecord(pidFile);
      const outcome = record ? await stopRecorded(record) : 'not-running';
      fs.rmSync(pidFile, { force: true });
      if (options.purge) fs.rmSync(paths.dataDir(server.name), { recursive: true, force: true });
      say(`${server.name}: ${outcome}${options.purge ? ', data deleted' : ''}`);
      return { server: server.name, outcome };
    }),
  );
}

export async function status(
  servers: readonly ServerSpec[],
  options: InfraOptions = {},
): Promise<ServerStatus[]> {
  const paths = options.paths ?? infraPaths();
  return Promise.all(
    servers.map(async (server): Promise<ServerStatus> => {
      const record = readPidRecord(paths.pidFile(server.name));
      const alive = record !== null && isRecordedProcessAlive(record);
      return {
        server: server.name,
        address: server.address,
        state: !alive ? 'stopped' : (await server.isReady()) ? 'running' : 'not-ready',
        pid: alive ? record.pid : null,
        dataDir: paths.dataDir(server.name),
        logFile: paths.logFile(server.name),
      };
    }),
  );
}

/**
 * Sends a signal to a server infra started (by pid file, never by name): SIGKILL to crash it, SIGSTOP/SIGCONT to
 * freeze and thaw it. Answers the pid, or null when it is not running.
 */
export function signal(server: ServerSpec, sig: NodeJS.Signals, options: InfraOptions = {}): number | null {
  const paths = options.paths ?? infraPaths();
  const record = readPidRecord(paths.pidFile(server.name));
  if (!record || !isRecordedProcessAlive(record)) return null;
  process.kill(record.pid, sig);
  return record.pid;
}
