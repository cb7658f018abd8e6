import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { infraPaths, smtpSinkServer } from '@eventfold/infra';
import { freePort, waitFor } from '@eventfold/testing';

/**
 * An SMTP sink of the test's own: the same program as the shared one (packages/infra/src/smtpSink), on a free port
 * with its own mailbox and faults.json, restarted whenever it exits. Why not the shared sink: a fault rate written
 * to the shared faults.json refuses other tests' mail too, and the sink exits on a client's connection reset, which
 * a client killed with -9 causes (reported: it should log and go on). Here a crash costs a restart and is counted.
 */
export async function startPrivateSmtpSink() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-sink-'));
  const spec = smtpSinkServer(port);
  const launch = await spec.prepare({ ...infraPaths(), dataDir: () => dataDir });
  const logFile = path.join(dataDir, 'sink.log');
  let child: ChildProcess | null = null;
  let stopped = false;
  let restarts = 0;
  const start = () => {
    const log = fs.openSync(logFile, 'a');
    child = spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      env: { ...process.env, ...launch.env },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    child.once('exit', () => {
      if (stopped) return;
      restarts++;
      start();
    });
  };
  start();
  await waitFor(() => spec.isReady(), {
    timeoutMs: 30_000,
    description: `the private SMTP sink on port ${port}`,
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    mailboxDir: path.join(dataDir, 'mailbox'),
    faultsFile: path.join(dataDir, 'faults.json'),
    /** The sink's own log; removed with the rest of its folder by `stop`. */
    logFile,
    /** How often the sink died and was started again. */
    restarts: () => restarts,
    async stop() {
      stopped = true;
      const running = child;
      if (running && running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
