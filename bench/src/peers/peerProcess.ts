import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnInGroup } from '@eventfold/infra';
import { freePort, waitFor } from '@eventfold/testing';
import { PeerError, PeerErrorCodes } from './peerError';

/** A peer's server, running as its own process group (gunicorn's workers are children of its master). */
export interface PeerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  /** Servers it writes through besides PostgreSQL (eventfold's Kafka), metered with it. */
  readonly servers?: readonly { readonly name: string; readonly pid: number }[];
  /** SIGTERM to the group, SIGKILL after 15 s; resolves once the leader has exited. */
  stop(): Promise<void>;
}

const running = new Set<PeerProcess>();
// Whatever failed, no peer outlives the run.
process.on('exit', () => {
  for (const peer of running) signalGroup(peer.pid, 'SIGKILL');
});

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts `command` on a free port (given to it as PORT) with its output in a log file, and resolves once GET
 * /healthz answers 2xx; fails with the log's last lines when it exits first or is not ready within 60 s.
 */
export async function startPeerProcess(options: {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}): Promise<PeerProcess> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `eventfold-peer-${options.name}-${port}-${Date.now()}.log`);
  const child = spawnInGroup(
    {
      command: options.command,
      args: options.args,
      cwd: options.cwd,
      env: { ...options.env, PORT: String(port) },
    },
    logFile,
  );
  const { exited } = child;
  const peer: PeerProcess = {
    name: options.name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    logFile,
    async stop() {
      if (!child.hasExited()) {
        signalGroup(peer.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(peer.pid, 'SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(peer);
    },
  };
  running.add(peer);
  const ready = waitFor(async () => (await fetch(`${peer.url}/healthz`).catch(() => null))?.ok, {
    timeoutMs: 60_000,
    intervalMs: 100,
    description: `${options.name} at ${peer.url}/healthz`,
  });
  const failed = exited.then((code) => {
    throw new Error(`exited with code ${code} before it was ready`);
  });
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    await peer.stop();
    throw new PeerError(
      PeerErrorCodes.notReady,
      options.name,
      `${(error as Error).message}; log ${logFile}:\n${tail(logFile)}`,
      { cause: error },
    );
  } finally {
    failed.catch(() => undefined);
  }
  return peer;
}
