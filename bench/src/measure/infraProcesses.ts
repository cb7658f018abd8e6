import fs from 'node:fs';
import { infraPaths } from '@eventfold/infra';
import type { MeteredProcess } from './cpuMeter';

/**
 * The local servers (Kafka, registry, FerretDB shards) as metered processes, from the pid files of
 * packages/infra; none when the servers are someone else's (environment endpoints or containers). Other sessions
 * share them, so their CPU is context, not a figure of ours.
 */
export function infraProcesses(): MeteredProcess[] {
  const paths = infraPaths();
  return ['kafka', 'registry', 'mongo-0', 'mongo-1'].flatMap((server) => {
    try {
      const { pid } = JSON.parse(fs.readFileSync(paths.pidFile(server), 'utf8')) as { pid: number };
      return [{ name: server, pid }];
    } catch {
      return [];
    }
  });
}
