import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { processStartTicks, writePidRecord, type PidRecord } from './pidFile';

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface Launched {
  readonly record: PidRecord;
  /** Resolves with the exit code when the process ends while this process still watches it. */
  readonly exited: Promise<number | null>;
}

/** A process started in its own group (spawnInGroup). */
export interface GroupLeader {
  readonly pid: number;
  /** Resolves with the exit code when the process ends while this process still watches it. */
  readonly exited: Promise<number | null>;
  /** Whether it has ended (as far as this process saw). */
  hasExited(): boolean;
}

/**
 * Starts a process as the leader of its own process group (so that a signal to `-pid` reaches its children too),
 * detached from ours, with stdout and stderr appended to `logFile`. It does not keep this process alive.
 */
export function spawnInGroup(spec: LaunchSpec, logFile: string): GroupLeader {
  const log = fs.openSync(logFile, 'a');
  fs.writeSync(log, `\n---- ${new Date().toISOString()} starting: ${spec.command} ${spec.args.join(' ')}\n`);
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let ended = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(127));
  }).finally(() => {
    ended = true;
  });
  child.unref();
  return { pid: child.pid ?? -1, exited, hasExited: () => ended };
}

/** Starts a process with spawnInGroup and records it in `pidFile`: it outlives the caller, `infra:down` stops it by that file. */
export function spawnDetached(spec: LaunchSpec, logFile: string, pidFile: string): Launched {
  const { pid, exited } = spawnInGroup(spec, logFile);
  const record: PidRecord = {
    pid,
    startTicks: pid > 0 ? processStartTicks(pid) : null,
    startedAt: new Date().toISOString(),
    command: [spec.command, ...spec.args].join(' '),
  };
  if (pid > 0) writePidRecord(pidFile, record);
  return { record, exited };
}
