import { optionalServers, portLayout } from './localServers';

describe('the servers infra:up starts only on request', () => {
  const ports = portLayout(100);

  it('starts none unless asked', () => {
    expect(optionalServers(ports, [], {})).toEqual([]);
  });

  it('starts the legacy PostgreSQL with --with postgres or EVENTFOLD_INFRA_POSTGRES=1, on 5432 + the offset', () => {
    for (const servers of [
      optionalServers(ports, ['postgres'], {}),
      optionalServers(ports, [], { EVENTFOLD_INFRA_POSTGRES: '1' }),
    ]) {
      expect(servers.map((s) => [s.name, s.ports])).toEqual([['postgres', [5532]]]);
    }
  });

  it('says which servers it knows when asked for another', () => {
    expect(() => optionalServers(ports, ['mysql'], {})).toThrow('--with knows postgres, not mysql');
  });
});
