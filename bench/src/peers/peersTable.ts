import { formatNumber } from '../report/table';
import { PEER_OPERATIONS, type PeerMeasurement } from './peerMeasurement';

/** Every measurement of the peers as a markdown table, in the order measured: what the README's section shows. */
export function peersMarkdown(measurements: readonly PeerMeasurement[]): string {
  const rows = [
    '| peer | durability | operation | connections | commands/s | p50 ms | p99 ms | failed |',
    '| ---- | ---------- | --------- | ----------: | ---------: | -----: | -----: | -----: |',
  ];
  for (const m of measurements)
    rows.push(
      `| ${m.title} | ${m.durability} | ${PEER_OPERATIONS[m.operation]} | ${m.connections} | ` +
        `${formatNumber(m.load.perSecond)} | ${formatNumber(m.load.latencyP50Ms)} | ` +
        `${formatNumber(m.load.latencyP99Ms)} | ${m.load.failed} |`,
    );
  return rows.join('\n');
}
