import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@eventfold/infra';
import { waitFor } from '../waitFor';

export interface ServiceProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  /** kill -9, and wait until it is gone. */
  kill(): Promise<void>;
}

/**
 * A service's main.ts as its own Node process (through tsx), on a free port, ready when its /readyz answers 200.
 * For tests that kill processes: in-process services cannot be killed with -9.
 */
export async function spawnService(
  main: string,
  env: Record<string, string>,
  options: {
    waitReady?: boolean;
    /** Extra options for node itself, such as --cpu-prof. */ nodeArgs?: readonly string[];
  } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const logFile = path.join(
    os.tmpdir(),
    `eventfold-${path.basename(path.dirname(path.dirname(main)))}-${port}-${Date.now()}.log`,
  );
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', main], {
    cwd: path.dirname(path.dirname(main)),
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    url,
    port,
    child,
    logFile,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (options.waitReady ?? true) {
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`${main} exited with ${child.exitCode}; log: ${logFile}`);
          return (await fetch(`${url}/readyz`).catch(() => null))?.ok;
        },
        {
          timeoutMs: 90_000,
          intervalMs: 100,
          description: `${main} on ${url} to be ready (log: ${logFile})`,
        },
      );
    } catch (error) {
      await service.kill(); // never leave a process behind that the caller cannot stop
      throw error;
    }
  }
  return service;
}
