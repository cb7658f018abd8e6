import fs from 'node:fs';
import { statusKiB } from './procStat';

/**
 * Samples a process's resident memory (VmRSS of /proc/<pid>/status) every `everyMs` while it runs, for the peak
 * within a phase; VmHWM gives the peak over the process's whole life.
 */
export class ResidentMemory {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pid: number) {}

  /** KiB now; 0 once the process is gone. */
  now(field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
    try {
      return statusKiB(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'), field);
    } catch {
      return 0;
    }
  }

  start(everyMs = 100): this {
    this.peak = this.now();
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, this.now())), everyMs);
    return this;
  }

  /** The highest sample since `start`, in KiB. */
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, this.now());
  }
}
