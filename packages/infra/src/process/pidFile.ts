import fs from 'node:fs';

/**
 * What infra records about a process it started. The start time (field 22 of /proc/<pid>/stat) guards against pid
 * reuse: a pid file whose process has gone and whose pid now belongs to someone else is never signalled.
 */
export interface PidRecord {
  readonly pid: number;
  readonly startTicks: string | null;
  readonly startedAt: string;
  readonly command: string;
}

export function processStartTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0): it has exited, it is just not reaped yet.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export function readPidRecord(file: string): PidRecord | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
}

export function writePidRecord(file: string, record: PidRecord): void {
  fs.writeFileSync(file, JSON.stringify(record, null, 2));
}

/** True when the recorded process still runs and is the very process that was recorded. */
export function isRecordedProcessAlive(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  return record.startTicks === null || processStartTicks(record.pid) === record.startTicks;
}
