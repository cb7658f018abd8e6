import path from 'node:path';
import type { InfraPaths } from '../paths';
import type { LaunchSpec } from '../process/spawnDetached';

/** One server that infra can install, start, probe and stop. */
export interface ServerSpec {
  readonly name: string;
  /** What a client connects to, as printed by `infra:status`. */
  readonly address: string;
  /** Ports it listens on: each must be free before it starts. */
  readonly ports: readonly number[];
  /** How long it may take from launch to ready before infra gives up. */
  readonly readyTimeoutMs: number;
  /** Servers it needs running first (by name): when started together, it starts once they are ready. */
  readonly after?: readonly string[];
  /** Downloads or builds what it needs into the cache; a no-op when the cache already holds it. */
  install(paths: InfraPaths, say: (line: string) => void): Promise<void>;
  /** Writes its configuration and prepares its data directory; returns how to launch it. */
  prepare(paths: InfraPaths, say?: (line: string) => void): Promise<LaunchSpec>;
  /** Answers true once clients can use it. Never throws. */
  isReady(): Promise<boolean>;
}

export const HOST = '127.0.0.1';

/** How to launch one of infra's own TypeScript programs (`smtpSink/main.ts`): Node through tsx, nothing to install. */
export function tsxProgram(main: string, args: readonly string[]): LaunchSpec {
  const root = path.resolve(__dirname, '..', '..');
  return {
    command: process.execPath,
    cwd: root,
    args: ['--import', 'tsx', path.join(root, 'src', main), ...args],
  };
}
