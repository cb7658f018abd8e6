import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testEndpoints, waitFor } from '@eventfold/testing';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface CommandProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
}

/** The command service as its own process (services/command/src/main.ts), ready when this resolves. */
export async function spawnCommandProcess(
  prefix: string,
  env: Record<string, string> = {},
): Promise<CommandProcess> {
  const port = await freePort();
  const endpoints = testEndpoints();
  const logFile = path.join(os.tmpdir(), `eventfold-command-${prefix}${port}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'main.ts')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      PORT: String(port),
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`command service exited with ${child.exitCode}; log: ${logFile}`);
      return (await fetch(`${url}/readyz`).catch(() => null))?.ok;
    },
    { timeoutMs: 90_000, intervalMs: 200, description: `the command service on ${url} (log: ${logFile})` },
  );
  return { url, child, logFile, exited };
}
