import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { declaredServices, discoverServices } from './nodeService';

describe('the services under services/ that infra can start', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-services-'));
    const manifests: Record<string, object> = {
      command: { eventfold: { port: 8090 } },
      migrator: { eventfold: { port: 8096, profile: 'migration' } },
      embedded: {},
    };
    for (const [name, manifest] of Object.entries(manifests)) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify(manifest));
    }
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are those that declare a port, each with its profile or none', () => {
    expect(declaredServices(dir).map(({ name, port, profile }) => ({ name, port, profile }))).toEqual([
      { name: 'command', port: 8090, profile: null },
      { name: 'migrator', port: 8096, profile: 'migration' },
    ]);
  });

  it('leave out a service with a profile unless that profile is asked for', () => {
    expect(discoverServices(dir, 100).map((s) => [s.name, s.ports])).toEqual([['command', [8190]]]);
    expect(discoverServices(dir, 100, ['migration']).map((s) => [s.name, s.ports])).toEqual([
      ['command', [8190]],
      ['migrator', [8196]],
    ]);
    expect(discoverServices(dir, 0, ['other']).map((s) => s.name)).toEqual(['command']);
  });
});
