import fs from 'node:fs';
import { infraPaths } from '@eventfold/infra';
import type { MeteredProcess } from './cpuMeter';

/** The servers every benchmark meters; the whole-stack benchmark adds the SMTP sink its notifier mails. */
const SERVERS = ['kafka', 'registry', 'mongo-0', 'mongo-1'] as const;

/**
 * The local servers (Kafka, registry, FerretDB shards, and any others named) as metered processes, from the pid
 * files of packages/infra; none when the servers are someone else's (environment endpoints or containers). Other
 * sessions share them, so their CPU is context, not a figure of ours.
 */
export function infraProcesses(others: readonly string[] = []): MeteredProcess[] {
  const paths = infraPaths();
  return [...SERVERS, ...others].flatMap((server) => {
    try {
      const { pid } = JSON.parse(fs.readFileSync(paths.pidFile(server), 'utf8')) as { pid: number };
      return [{ name: server, pid }];
    } catch {
      return [];
    }
  });
}
