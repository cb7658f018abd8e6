// pnpm stack | stack:down: the local infrastructure, then every service under services/ as its own process on its
// default port. Idempotent like infra:up: only what is not running starts, so it also brings back a dead service.
import path from 'node:path';
import { discoverServices, down, InfraError, localEndpoints, localServers, up } from '@eventfold/infra';

const servicesDir = path.resolve(__dirname, '..', '..', 'services');

async function main(command: string | undefined): Promise<number> {
  const say = (line: string) => console.log(line);
  const services = discoverServices(servicesDir);
  if (command === 'up') {
    const started = Date.now();
    await up(localServers(), { say });
    // The services read their endpoints from the environment; what the caller set passes through unchanged.
    for (const [name, value] of Object.entries(localEndpoints)) process.env[name] ??= value;
    const results = await up(services, { say });
    for (const r of results) console.log(`${r.server}: ${r.outcome} (${r.seconds.toFixed(1)} s)`);
    console.log(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${services.length} services)`,
    );
    return 0;
  }
  if (command === 'down') {
    await down(services, { say });
    await down(localServers(), { say, purge: process.argv.includes('--purge') });
    return 0;
  }
  console.error('usage: stack up | down [--purge]');
  return 2;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InfraError || error instanceof AggregateError ? error.message : error);
    process.exit(1);
  },
);
