import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnInGroup } from './spawnDetached';

describe('spawnInGroup', () => {
  it('appends the output to the log file and answers the exit code', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-spawn-')), 'out.log');
    const leader = spawnInGroup(
      { command: 'sh', args: ['-c', 'echo "$GREETING"; exit 3'], env: { GREETING: 'hi' } },
      logFile,
    );
    expect(leader.hasExited()).toBe(false);
    await expect(leader.exited).resolves.toBe(3);
    expect(leader.hasExited()).toBe(true);
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/starting: sh -c[^\n]*\nhi\n$/);
  });

  it('leads a process group: a signal to the group reaches the children too', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-spawn-')), 'out.log');
    const leader = spawnInGroup({ command: 'sh', args: ['-c', 'sleep 60 & wait'] }, logFile);
    process.kill(-leader.pid, 'SIGTERM');
    await expect(leader.exited).resolves.toBe(128);
  });

  it('answers 127 when the command does not exist', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-spawn-')), 'out.log');
    await expect(
      spawnInGroup({ command: 'no-such-command-eventfold', args: [] }, logFile).exited,
    ).resolves.toBe(127);
  });
});
