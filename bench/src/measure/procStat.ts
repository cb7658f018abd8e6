/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ): 100 on every Linux architecture Node supports. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User plus system CPU seconds from the text of /proc/<pid>/stat. The command name (field 2) is in parentheses
 * and may hold spaces and parentheses itself, so fields are counted from the last ')': utime and stime are
 * fields 14 and 15 of the line.
 */
export function cpuSecondsOfProcStat(text: string): number {
  const rest = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error(`Not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/**
 * A memory figure of /proc/<pid>/status in KiB: `VmHWM` (the peak resident set since the process started) or
 * `VmRSS` (now). The line reads `VmHWM:\t  183204 kB`.
 */
export function statusKiB(text: string, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!match) throw new Error(`No ${field} line in /proc/<pid>/status`);
  return Number(match[1]);
}
