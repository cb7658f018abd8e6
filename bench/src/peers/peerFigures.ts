import { ratio, type Ratio } from '../report/figures';
import { PEER_OPERATIONS, type PeerMeasurement } from './peerMeasurement';

/** The connection count at which peers are set against each other (the command benchmark's). */
export const RATIO_CONNECTIONS = 32;

/**
 * eventfold beside the best peer, per operation, on PostgreSQL's durable default (each peer's headline): commands/s
 * at {@link RATIO_CONNECTIONS} connections, and at each one's own best connection count (knee against knee). The
 * peers against each other, and every other point, are details: a slower peer is not a figure of eventfold's.
 */
export function peerRatios(measurements: readonly PeerMeasurement[], subject = 'eventfold'): Ratio[] {
  const ours = measurements.filter((m) => m.peer === subject);
  const others = measurements.filter((m) => m.peer !== subject && m.durability === 'durable');
  const best = (of: readonly PeerMeasurement[]) =>
    of.reduce<PeerMeasurement | null>((a, b) => (a && a.load.perSecond >= b.load.perSecond ? a : b), null);
  return (Object.keys(PEER_OPERATIONS) as (keyof typeof PEER_OPERATIONS)[]).flatMap((operation) => {
    const mine = ours.filter((m) => m.operation === operation);
    const theirs = others.filter((m) => m.operation === operation);
    const at = (of: readonly PeerMeasurement[]) =>
      best(of.filter((m) => m.connections === RATIO_CONNECTIONS));
    const pairs: [string, PeerMeasurement | null, PeerMeasurement | null][] = [
      [`at ${RATIO_CONNECTIONS} connections`, at(mine), at(theirs)],
      ['at the best connection count of each', best(mine), best(theirs)],
    ];
    return pairs.flatMap(([where, m, peer]) =>
      m && peer
        ? [
            ratio(
              `Peers, ${PEER_OPERATIONS[operation]} ${where}: ${m.title} ÷ best peer (${peer.durability})`,
              {
                label: `${m.title} (${m.connections} connections)`,
                value: m.load.perSecond,
                unit: 'commands/s',
              },
              {
                label: `${peer.title} (${peer.connections} connections)`,
                value: peer.load.perSecond,
                unit: 'commands/s',
              },
              'higher',
            ),
          ]
        : [],
    );
  });
}

const slug = (text: string) => text.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

/** Every measurement as flat details: `<peer>.<durability>.<operation>.c<connections>.<figure>`. */
export function peerDetails(measurements: readonly PeerMeasurement[]): Record<string, number> {
  const details: Record<string, number> = {};
  for (const m of measurements) {
    const key = `${m.peer}.${slug(m.durability)}.${m.operation}.c${m.connections}`;
    details[`${key}.perSecond`] = Math.round(m.load.perSecond);
    details[`${key}.p50Ms`] = m.load.latencyP50Ms;
    details[`${key}.p99Ms`] = m.load.latencyP99Ms;
    details[`${key}.failed`] = m.load.failed;
  }
  return details;
}
