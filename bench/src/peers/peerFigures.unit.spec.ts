import type { LoadResult } from '../measure/load';
import { peerDetails, peerRatios } from './peerFigures';
import type { PeerMeasurement } from './peerMeasurement';
import { peersMarkdown } from './peersTable';

const load = (perSecond: number, failed = 0): LoadResult => ({
  perSecond,
  ok: perSecond * 10,
  failed,
  latencyP50Ms: 12,
  latencyP99Ms: 48,
});
const measured = (
  peer: string,
  operation: PeerMeasurement['operation'],
  connections: number,
  perSecond: number,
  durability = 'durable',
): PeerMeasurement => ({
  peer,
  title: { emmett: 'Emmett', eventfold: 'eventfold' }[peer] ?? 'eventsourcing (Python)',
  durability,
  operation,
  connections,
  load: load(perSecond),
});

describe('peer figures', () => {
  const measurements = [
    measured('emmett', 'register', 8, 900),
    measured('emmett', 'register', 32, 2000),
    measured('eventsourcing', 'register', 32, 500),
    measured('emmett', 'rename', 32, 1500),
    measured('eventsourcing', 'rename', 32, 3000),
    measured('emmett', 'register', 32, 4000, 'async commit'),
  ];

  it("divides eventfold's commands/s by the best durable peer's, at 32 connections and knee against knee", () => {
    const ratios = peerRatios([
      ...measurements,
      measured('eventfold', 'register', 32, 3000),
      measured('eventfold', 'register', 128, 5000),
      measured('eventfold', 'rename', 32, 1000),
    ]);
    expect(ratios.map((r) => [r.name, r.value])).toEqual([
      ['Peers, register a user at 32 connections: eventfold ÷ best peer (durable)', 1.5],
      ['Peers, register a user at the best connection count of each: eventfold ÷ best peer (durable)', 2.5],
      ['Peers, rename with expected version at 32 connections: eventfold ÷ best peer (durable)', 1 / 3],
      [
        'Peers, rename with expected version at the best connection count of each: eventfold ÷ best peer (durable)',
        1 / 3,
      ],
    ]);
    expect(ratios[0]!.baseline).toEqual({
      label: 'Emmett (32 connections)',
      value: 2000,
      unit: 'commands/s',
    });
    expect(ratios[1]!.measured.label).toBe('eventfold (128 connections)');
  });

  it('keeps every connection count in the details', () => {
    const details = peerDetails(measurements);
    expect(details['emmett.durable.register.c8.perSecond']).toBe(900);
    expect(details['emmett.async-commit.register.c32.perSecond']).toBe(4000);
    expect(details['eventsourcing.durable.rename.c32.p99Ms']).toBe(48);
    expect(details['eventsourcing.durable.rename.c32.failed']).toBe(0);
  });

  it('prints one table row per measurement', () => {
    const rows = peersMarkdown(measurements.slice(0, 2)).split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[3]).toBe('| Emmett | durable | register a user | 32 | 2,000 | 12 | 48 | 0 |');
  });
});
