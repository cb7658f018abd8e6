import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '@eventfold/testing';
import { testNotifierEnv } from './testNotifier';

export interface NotifierProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
}

/** The notifier as its own process (src/main.ts), as `pnpm stack` runs it; resolves once /readyz answers 200. */
export async function spawnNotifierProcess(
  prefix: string,
  database: string,
  env: Record<string, string> = {},
): Promise<NotifierProcess> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `eventfold-notifier-${prefix}${port}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'main.ts')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      PORT: String(port),
      ...testNotifierEnv(prefix, database, { LOG_LEVEL: 'info', ...env }),
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  const died = exited.then((code) => {
    gone = true;
    throw new Error(`the notifier exited (${code ?? child.signalCode}) before it was ready; log: ${logFile}`);
  });
  died.catch(() => undefined);
  await Promise.race([
    died,
    waitFor(async () => gone || (await fetch(`${url}/readyz`).catch(() => null))?.ok, {
      timeoutMs: 90_000,
      intervalMs: 100,
      description: `the notifier on ${url} (log: ${logFile})`,
    }),
  ]);
  if (gone) await died;
  return { url, child, logFile, exited };
}
