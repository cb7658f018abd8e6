import fs from 'node:fs';
import path from 'node:path';
import type { Peer } from './peer';
import { startPeerProcess } from './peerProcess';

/**
 * pg's default pool size, which Emmett keeps when not given a pool. 5 and 20, measured alternately with it at 32 and
 * 128 connections on the shared development machine (2 cores, PostgreSQL beside it), were within its run-to-run
 * noise: the default stays.
 */
export const EMMETT_POOL_SIZE = 10;

const benchDir = path.resolve(__dirname, '..', '..');
const versions = (
  JSON.parse(fs.readFileSync(path.join(benchDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  }
).dependencies;

/**
 * Emmett on PostgreSQL, written and started as its own samples do (src/peers/emmett/main.ts): one Node process,
 * Express through emmett-expressjs, a DeciderCommandHandler per request, If-Match/ETag as expected version.
 */
export const emmettPeer: Peer = {
  name: 'emmett',
  title: 'Emmett',
  settings:
    `@event-driven-io/emmett ${versions['@event-driven-io/emmett']} with emmett-postgresql ` +
    `${versions['@event-driven-io/emmett-postgresql']}, HTTP by emmett-expressjs ` +
    `${versions['@event-driven-io/emmett-expressjs']} (Express ${versions.express}); one Node ${process.version} ` +
    `process, as Emmett's samples run, NODE_ENV=production; pg.Pool of ${EMMETT_POOL_SIZE} connections`,
  async install() {},
  start: (database) =>
    startPeerProcess({
      name: 'emmett',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(__dirname, 'emmett', 'main.ts')],
      cwd: benchDir,
      env: {
        POSTGRESQL_CONNECTION_STRING: database.url,
        PG_POOL_MAX: String(EMMETT_POOL_SIZE),
        // Express's production advice: NODE_ENV=production.
        NODE_ENV: 'production',
      },
    }),
};
