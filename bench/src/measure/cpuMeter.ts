import fs from 'node:fs';
import type { CpuFigure } from '../report/figures';
import { cpuSecondsOfProcStat } from './procStat';

/** A process to measure: this one (`pid: 'self'`, through process.cpuUsage), or another by pid (/proc/<pid>/stat). */
export interface MeteredProcess {
  readonly name: string;
  readonly pid: number | 'self';
}

/** CPU seconds a process has used since it started; null when it is gone. */
export function cpuSeconds(pid: number | 'self'): number | null {
  if (pid === 'self') {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  try {
    return cpuSecondsOfProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone, or not Linux
  }
}

/** CPU per process over one measured phase: `start()` before the load, `stop()` after it. */
export class CpuMeter {
  private startedAt = 0;
  private readonly before = new Map<string, number | null>();

  constructor(private readonly processes: readonly MeteredProcess[]) {}

  start(): this {
    for (const p of this.processes) this.before.set(p.name, cpuSeconds(p.pid));
    this.startedAt = performance.now();
    return this;
  }

  stop(): CpuFigure[] {
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    return this.processes.flatMap((p) => {
      const before = this.before.get(p.name);
      const after = cpuSeconds(p.pid);
      return before == null || after === null
        ? []
        : [{ process: p.name, cpuSeconds: after - before, wallSeconds }];
    });
  }
}
