import fs from 'node:fs';
import { cpuSeconds } from '../measure/cpuMeter';
import type { CpuFigure } from '../report/figures';

/** The parent pid (field 4) of a /proc/<pid>/stat line; fields are counted from the last ')', as in procStat.ts. */
export function parentPidOfProcStat(text: string): number {
  const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  if (!Number.isInteger(ppid)) throw new Error(`Not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  return ppid;
}

/** `root` and every process below it, from the parent pids in /proc/<pid>/stat (Linux); [root] elsewhere. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [root];
  }
  for (const pid of pids) {
    try {
      const parent = parentPidOfProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      children.set(parent, [...(children.get(parent) ?? []), Number(pid)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/**
 * CPU of whole process trees over one measured phase: a gunicorn master and its workers, PostgreSQL's postmaster
 * and its backends. A process that starts during the phase counts from zero; one that exits during it is lost.
 */
export class TreeCpuMeter {
  private startedAt = 0;
  private readonly before = new Map<number, number>();

  constructor(private readonly trees: readonly { name: string; root: number | 'self' }[]) {}

  start(): this {
    for (const { root } of this.trees)
      for (const pid of root === 'self' ? [] : processTree(root)) this.before.set(pid, cpuSeconds(pid) ?? 0);
    this.startedAt = performance.now();
    if (this.trees.some((t) => t.root === 'self')) this.before.set(-1, cpuSeconds('self') ?? 0);
    return this;
  }

  stop(): CpuFigure[] {
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    return this.trees.map(({ name, root }) => {
      if (root === 'self')
        return { process: name, cpuSeconds: (cpuSeconds('self') ?? 0) - this.before.get(-1)!, wallSeconds };
      const used = processTree(root).reduce((sum, pid) => {
        const now = cpuSeconds(pid);
        return now === null ? sum : sum + now - (this.before.get(pid) ?? 0);
      }, 0);
      return { process: name, cpuSeconds: used, wallSeconds };
    });
  }
}
