import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { InfraError } from './errors';
import { down, status, up } from './infra';
import { infraPaths } from './paths';
import { freePort } from './process/freePort';
import { smtpSinkServer } from './servers/smtpSink';

// These tests run their own SMTP sink on a free port, in a scratch infra home: they never touch the servers the
// rest of the suite uses.
describe('infra lifecycle', () => {
  let home: string;
  let paths: ReturnType<typeof infraPaths>;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-infra-'));
    paths = infraPaths({ ...process.env, EVENTFOLD_INFRA_HOME: home });
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('is idempotent: a second up leaves the running server alone, down stops it by its pid file', async () => {
    const servers = [smtpSinkServer(await freePort())];
    const [first] = await up(servers, { paths });
    expect(first?.outcome).toBe('started');
    const [before] = await status(servers, { paths });
    expect(before).toMatchObject({ state: 'running' });

    const [second] = await up(servers, { paths });
    expect(second?.outcome).toBe('already-running');
    const [after] = await status(servers, { paths });
    expect(after?.pid).toBe(before?.pid);

    await down(servers, { paths, purge: true });
    const [stopped] = await status(servers, { paths });
    expect(stopped).toMatchObject({ state: 'stopped', pid: null });
    expect(() => process.kill(before!.pid!, 0)).toThrow();
    expect(fs.existsSync(paths.dataDir('smtp'))).toBe(false);
  });

  it('fails fast, naming the server and its log, when its port is taken', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const attempt = up([smtpSinkServer(port)], { paths });
      await expect(attempt).rejects.toBeInstanceOf(InfraError);
      await expect(attempt).rejects.toThrow(`smtp: port 127.0.0.1:${port} is already in use`);
      await expect(attempt).rejects.toThrow(paths.logFile('smtp'));
    } finally {
      squatter.close();
    }
  });

  it('reports a server that exits before it is ready, with its log, and leaves nothing running', async () => {
    const broken = { ...smtpSinkServer(await freePort()), name: 'broken' };
    broken.prepare = async () => ({
      command: process.execPath,
      args: ['-e', 'console.error("boom: cannot start"); process.exit(3)'],
    });
    const attempt = up([broken], { paths });
    await expect(attempt).rejects.toThrow(
      /broken: exited with code 3 before it was ready:[\s\S]*boom: cannot start/,
    );
    const [after] = await status([broken], { paths });
    expect(after?.state).toBe('stopped');
  });
});
