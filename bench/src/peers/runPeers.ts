import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { down, infraPaths, POSTGRES_SUPERUSER, postgresServer, up } from '@eventfold/infra';
import { freePort } from '@eventfold/testing';
import pg from 'pg';
import { httpLoad, type LoadResult } from '../measure/load';
import type { CpuFigure } from '../report/figures';
import { formatNumber } from '../report/table';
import type { Durability } from './durability';
import type { Peer } from './peer';
import { createPeerDatabase } from './peerDatabase';
import { RATIO_CONNECTIONS } from './peerFigures';
import { PEER_OPERATIONS, type PeerMeasurement, type PeerOperation } from './peerMeasurement';
import type { PeerProcess } from './peerProcess';
import { TreeCpuMeter } from './processTreeCpu';
import { renameLoad } from './renameLoad';
import { checkStaleVersionRefused } from './staleVersionCheck';
import { registerUsers, registration } from './versionedUser';

/** How long and at which concurrency each peer is loaded. */
export interface PeersPlan {
  /** Closed-loop connection counts, each loaded in turn, lowest first. */
  readonly connections: readonly number[];
  readonly seconds: number;
  /** Load of each operation at {@link RATIO_CONNECTIONS} connections before the first measurement of a process. */
  readonly warmUpSeconds: number;
  readonly durabilities: readonly Durability[];
}

export interface PeersRun {
  readonly measurements: PeerMeasurement[];
  /** CPU per process tree at {@link RATIO_CONNECTIONS} connections, per peer, operation and durability. */
  readonly cpu: Record<string, CpuFigure[]>;
  /** `SELECT version()` of the server the peers ran on. */
  readonly postgresVersion: string;
}

const json = { 'content-type': 'application/json' };

/** Every request a user of the peers' APIs would send is a new one: numbers shared by every load of the run. */
let registrations = 1;

function load(
  peer: Peer,
  server: PeerProcess,
  operation: PeerOperation,
  connections: number,
  seconds: number,
) {
  if (operation === 'register')
    return httpLoad({
      url: `${server.url}/users`,
      method: 'POST',
      headers: json,
      body: () => JSON.stringify(registration(registrations++)),
      connections,
      seconds,
    });
  return registerUsers(peer.name, server.url, 2 * connections, registrations).then((users) => {
    registrations += users.length;
    return renameLoad({ url: server.url, users, connections, seconds });
  });
}

const describeLoad = (r: LoadResult) =>
  `${formatNumber(r.perSecond)} commands/s, p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms, ${r.failed} failed`;

async function measurePeer(
  peer: Peer,
  server: PeerProcess,
  durability: Durability,
  plan: PeersPlan,
  postgresPid: number,
  run: PeersRun,
  say: (line: string) => void,
): Promise<void> {
  await checkStaleVersionRefused(peer.name, server.url);
  // JIT, pools filled, PostgreSQL's caches and the tables' first pages: none of it is the steady state.
  for (const operation of ['register', 'rename'] as const)
    await load(peer, server, operation, RATIO_CONNECTIONS, plan.warmUpSeconds);
  for (const connections of plan.connections) {
    for (const operation of ['register', 'rename'] as const) {
      const meter = new TreeCpuMeter([
        { name: 'bench (autocannon)', root: 'self' },
        { name: peer.title, root: server.pid },
        ...(peer.storage
          ? (server.servers ?? []).map((s) => ({ name: s.name, root: s.pid }))
          : [{ name: 'postgres', root: postgresPid }]),
      ]).start();
      const result = await load(peer, server, operation, connections, plan.seconds);
      const cpu = meter.stop();
      if (connections === RATIO_CONNECTIONS)
        run.cpu[`${peer.title}, ${PEER_OPERATIONS[operation]} (${peer.storage ?? durability.name})`] = cpu;
      run.measurements.push({
        peer: peer.name,
        title: peer.title,
        durability: peer.storage ?? durability.name,
        operation,
        connections,
        load: result,
      });
      say(
        `  ${peer.title}, ${PEER_OPERATIONS[operation]}, ${connections} connections (${peer.storage ?? durability.name}): ${describeLoad(result)}`,
      );
    }
  }
}

async function postgresVersion(port: number): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: POSTGRES_SUPERUSER, database: 'postgres' });
  await client.connect();
  try {
    return ((await client.query('SELECT version()')).rows[0] as { version: string }).version;
  } finally {
    await client.end();
  }
}

/**
 * Loads each peer with the workload on a PostgreSQL of this run's own: started from packages/infra's server
 * definition on a temporary infra home (never the shared one), stopped and deleted at the end whatever happened.
 * Each peer gets a fresh database per durability and runs as its own process, alone on the server while loaded.
 */
export async function runPeers(
  peers: readonly Peer[],
  plan: PeersPlan,
  say: (line: string) => void,
): Promise<PeersRun> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-peers-'));
  // As root, PostgreSQL runs as the OS user postgres, which must reach its data directory below this one.
  fs.chmodSync(home, 0o755);
  const paths = infraPaths({ ...process.env, EVENTFOLD_INFRA_HOME: home });
  const server = postgresServer(await freePort());
  const port = server.ports[0]!;
  try {
    for (const peer of peers) await peer.install({ cacheDir: paths.cacheDir, say });
    await up([server], { paths, say: (line) => say(`  ${line}`) });
    const { pid: postgresPid } = JSON.parse(fs.readFileSync(paths.pidFile(server.name), 'utf8')) as {
      pid: number;
    };
    const run: PeersRun = { measurements: [], cpu: {}, postgresVersion: await postgresVersion(port) };
    for (const [index, durability] of plan.durabilities.entries())
      for (const peer of peers.filter((p) => index === 0 || !p.storage)) {
        const database = await createPeerDatabase(
          port,
          `${peer.name}_${durability.name.replace(/\W+/g, '_')}`,
          durability,
        );
        const started = await peer.start(database);
        try {
          await measurePeer(peer, started, durability, plan, postgresPid, run, say);
        } finally {
          await started.stop();
        }
      }
    return run;
  } finally {
    await down([server], { paths, purge: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}
