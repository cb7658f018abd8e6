// pnpm infra:up | infra:down [--purge] | infra:status [--only kafka,registry,...] [--with postgres]
import {
  down,
  InfraError,
  infraPaths,
  localServers,
  optionalServers,
  portLayout,
  portOffsetOf,
  status,
  up,
} from './index';

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  const onlyFlag = flags.indexOf('--only');
  const only = onlyFlag >= 0 ? (flags[onlyFlag + 1] ?? '').split(',') : null;
  const withFlag = flags.indexOf('--with');
  const wanted = withFlag >= 0 ? (flags[withFlag + 1] ?? '').split(',').filter(Boolean) : [];
  const ports = portLayout(portOffsetOf());
  const servers = [...localServers(ports), ...optionalServers(ports, wanted)].filter(
    (s) => only === null || only.includes(s.name),
  );
  const say = (line: string) => console.log(line);
  switch (command) {
    case 'up': {
      const started = Date.now();
      const results = await up(servers, { say });
      for (const r of results) console.log(`${r.server}: ${r.outcome} (${r.seconds.toFixed(1)} s)`);
      console.log(
        `infra ready in ${((Date.now() - started) / 1000).toFixed(1)} s; state in ${infraPaths().homeDir}`,
      );
      return 0;
    }
    case 'down':
      await down(servers, { say, purge: flags.includes('--purge') });
      return 0;
    case 'status': {
      const rows = await status(servers);
      for (const r of rows) {
        console.log(
          `${r.server.padEnd(9)} ${r.state.padEnd(10)} ${r.address.padEnd(44)} pid ${String(r.pid ?? '-').padEnd(8)} data ${r.dataDir}  log ${r.logFile}`,
        );
      }
      console.log(`cache ${infraPaths().cacheDir}`);
      return 0;
    }
    default:
      console.error(
        'usage: infra up | down [--purge] | status   [--only kafka,registry,mongo-0,mongo-1,smtp] [--with postgres]',
      );
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InfraError || error instanceof AggregateError ? error.message : error);
    process.exit(1);
  },
);
