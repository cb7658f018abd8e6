import { httpOk } from '../probes';
import { HOST, tsxProgram, type ServerSpec } from './serverSpec';

/**
 * The WAL checkpointer of the FerretDB shards (checkpointer/main.ts): what makes an erasure reach their files
 * (issue 24). FerretDB runs its SQLite databases with `secure_delete`, which zeroes what a write removes in the
 * database file, but the earlier images of each page stay in the WAL until it is truncated, and FerretDB never
 * truncates it; this process does, once a second. Nothing to install: Node runs it through tsx.
 */
export function checkpointerServer(port: number, shards: readonly string[]): ServerSpec {
  return {
    name: 'checkpointer',
    address: `http://${HOST}:${port}/`,
    ports: [port],
    readyTimeoutMs: 30_000,
    after: shards,
    async install() {},
    async prepare(paths) {
      return tsxProgram('checkpointer/main.ts', [
        String(port),
        '1000',
        ...shards.map((shard) => paths.dataDir(shard)),
      ]);
    },
    isReady: () => httpOk(`http://${HOST}:${port}/`),
  };
}
