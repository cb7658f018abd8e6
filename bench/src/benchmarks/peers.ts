import { POSTGRES_SUPERUSER } from '@eventfold/infra';
import { ASYNC_COMMIT, DURABLE } from '../peers/durability';
import { emmettPeer } from '../peers/emmettPeer';
import { eventfoldPeer } from '../peers/eventfoldPeer';
import { eventsourcingPeer } from '../peers/eventsourcingPeer';
import { peerDetails, peerRatios, RATIO_CONNECTIONS } from '../peers/peerFigures';
import { peersMarkdown } from '../peers/peersTable';
import { runPeers, type PeersPlan } from '../peers/runPeers';
import type { BenchmarkResult } from '../report/figures';
import { sized, type Benchmark } from './benchmark';

const peers = [eventfoldPeer, emmettPeer, eventsourcingPeer];

/** Quick: the durable default only, two connection counts, 5 s each (about a minute with PostgreSQL's start). */
const QUICK: PeersPlan = { connections: [8, 32], seconds: 5, warmUpSeconds: 2, durabilities: [DURABLE] };
const FULL: PeersPlan = {
  connections: [8, 32, 128, 512],
  seconds: 10,
  warmUpSeconds: 3,
  durabilities: [DURABLE, ASYNC_COMMIT],
};

/**
 * eventfold's write path beside the systems a user would pick instead, on the same machine in the same run: Emmett
 * (Node) and Python's eventsourcing, each on PostgreSQL with its documented settings, registering users and renaming
 * them with an expected version under the same closed-loop load, and eventfold's command service in the same harness.
 * The ratios divide eventfold by the best peer; every connection count, latency and failure count of every system
 * is in the details and the printed table.
 */
export const peersBenchmark: Benchmark = {
  name: 'peers',
  title: 'eventfold beside its peers: Emmett and Python eventsourcing on PostgreSQL',
  async run(context): Promise<BenchmarkResult> {
    const plan = sized(context, QUICK, FULL);
    const run = await runPeers(peers, plan, context.say);
    context.say(`\n${peersMarkdown(run.measurements)}\n`);
    return {
      name: this.name,
      title: this.title,
      ratios: peerRatios(run.measurements),
      cpu: run.cpu,
      details: {
        connections: plan.connections.join(', '),
        ratioConnections: RATIO_CONNECTIONS,
        seconds: plan.seconds,
        warmUpSeconds: plan.warmUpSeconds,
        durabilities: plan.durabilities
          .map((d) => `${d.name} (synchronous_commit=${d.synchronousCommit})`)
          .join(', '),
        postgres: `${run.postgresVersion}; defaults but wal_level=logical, superuser ${POSTGRES_SUPERUSER}, TCP on 127.0.0.1`,
        ...Object.fromEntries(peers.map((p) => [`${p.name}.settings`, p.settings])),
        ...peerDetails(run.measurements),
      },
    };
  },
};
