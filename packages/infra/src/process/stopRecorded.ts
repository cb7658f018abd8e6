import { sleep } from '@eventfold/core';
import { isRecordedProcessAlive, type PidRecord } from './pidFile';

/**
 * Stops a recorded process and its process group: SIGTERM, then SIGKILL after `graceMs`. Only ever signals the
 * process that the record names (same pid and start time), never a process found by name.
 */
export async function stopRecorded(record: PidRecord, graceMs = 20_000): Promise<'stopped' | 'not-running'> {
  if (!isRecordedProcessAlive(record)) return 'not-running';
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRecordedProcessAlive(record)) return 'stopped';
    await sleep(100);
  }
  signalGroup(record.pid, 'SIGKILL');
  while (isRecordedProcessAlive(record)) await sleep(50);
  return 'stopped';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Detached children lead their own process group: a negative pid reaches the whole group.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
