import os from 'node:os';
import path from 'node:path';

/** Where the local infrastructure keeps downloads (shared, reused across clones) and its state (per clone). */
export interface InfraPaths {
  /** Downloads and builds: Kafka jars, Apicurio, the FerretDB binary. Outside git, reused by later runs. */
  readonly cacheDir: string;
  /** Per-clone state: pid files, data and logs of the running servers. */
  readonly homeDir: string;
  readonly runDir: string;
  readonly logDir: string;
  dataDir(server: string): string;
  logFile(server: string): string;
  pidFile(server: string): string;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function infraPaths(env: NodeJS.ProcessEnv = process.env): InfraPaths {
  const cacheDir = path.resolve(
    env.EVENTFOLD_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'eventfold'),
  );
  const homeDir = path.resolve(env.EVENTFOLD_INFRA_HOME ?? path.join(repoRoot, '.eventfold', 'infra'));
  const runDir = path.join(homeDir, 'run');
  const logDir = path.join(homeDir, 'logs');
  return {
    cacheDir,
    homeDir,
    runDir,
    logDir,
    dataDir: (server) => path.join(homeDir, 'data', server),
    logFile: (server) => path.join(logDir, `${server}.log`),
    pidFile: (server) => path.join(runDir, `${server}.pid.json`),
  };
}
