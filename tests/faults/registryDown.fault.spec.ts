import { sleep } from '@eventfold/core';
import fs from 'node:fs';
import path from 'node:path';
import {
  spawnService,
  startPrivateInfrastructure,
  waitFor,
  type PrivateInfrastructure,
} from '@eventfold/testing';
import { newReadSideEnv, serviceEnv } from '../support/readSide';

jest.setTimeout(300_000);

describe('the schema registry down while the command service starts', () => {
  let infra: PrivateInfrastructure;

  beforeAll(async () => {
    infra = await startPrivateInfrastructure({ portOffset: 22_000, servers: ['kafka'] });
  });
  afterAll(async () => {
    await infra?.destroy();
  });

  it('stays up and not ready, says why in /readyz and its log, and becomes ready once the registry is back', async () => {
    const env = newReadSideEnv(4);
    const service = await spawnService(
      path.resolve(__dirname, '..', '..', 'services', 'command', 'src', 'main.ts'),
      { ...serviceEnv(env, infra.env), LOG_LEVEL: 'info' },
      { waitReady: false },
    );
    try {
      await waitFor(async () => (await fetch(`${service.url}/healthz`).catch(() => null))?.ok, {
        timeoutMs: 60_000,
        description: 'the command service to answer /healthz',
      });
      // Long enough for several start-up attempts: it must neither crash nor pretend to be ready.
      await sleep(10_000);
      const readyz = await fetch(`${service.url}/readyz`);
      const body = (await readyz.json()) as { checks?: Record<string, string> };
      const log = fs.readFileSync(service.logFile, 'utf8');
      const attempts = log.split('\n').filter((l) => l.includes('could not start yet')).length;
      expect(service.child.exitCode).toBeNull();
      expect(readyz.status).toBe(503);
      expect(JSON.stringify(body)).toMatch(
        new RegExp(`${infra.env.SCHEMA_REGISTRY_URL!.split('/apis')[0]}|registry`, 'i'),
      );
      expect(attempts).toBeGreaterThan(0);

      const back = Date.now();
      await infra.start('registry');
      const registryUpS = (Date.now() - back) / 1000;
      await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: 'the command service to become ready',
      });
      const readyS = (Date.now() - back) / 1000;
      const created = await fetch(`${service.url}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'After The Outage', email: 'after@example.com' }),
      });
      console.log(
        `Registry down at start-up: ${attempts} start-up attempts logged, not ready with "${body.checks?.startup ?? JSON.stringify(body)}"; registry up in ${registryUpS.toFixed(1)} s, service ready ${readyS.toFixed(1)} s after the registry was started; first write ${created.status}`,
      );
      expect(created.status).toBe(201);
      expect(service.child.exitCode).toBeNull();
    } finally {
      await service.kill();
    }
  });
});
