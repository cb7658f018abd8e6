import { ratio, type Ratio } from '../report/figures';
import { summarise, type LatencySummary } from '../report/percentiles';

/** The ways of running the legacy writer: alone, read through a `pgoutput` slot, or filling a trigger's outbox. */
export const CAPTURE_MODES = Object.freeze(['baseline', 'pgoutput', 'outbox'] as const);
export type CaptureMode = (typeof CAPTURE_MODES)[number];

export const MODE_TITLES: Readonly<Record<CaptureMode, string>> = Object.freeze({
  baseline: 'legacy writer alone',
  pgoutput: 'with a pgoutput slot read',
  outbox: 'with a trigger-filled outbox polled',
});

/** One measured block: one mode, the writer loaded for the block's seconds, its changes read to the end. */
export interface CaptureBlock {
  readonly mode: CaptureMode;
  readonly round: number;
  readonly writes: number;
  readonly failed: number;
  readonly seconds: number;
  readonly writeLatenciesMs: readonly number[];
  /** Commit (outbox: its row's write) → the reader has the change, ms; empty for the baseline. */
  readonly lagsMs: readonly number[];
  /** Changes the reader had not received when the wait after the block ended. */
  readonly missing: number;
  /** WAL written from the block's start until its changes were read (and, for the outbox, deleted). */
  readonly walBytes: number;
  /** pgoutput: WAL the slot still held once everything was read and acknowledged; outbox: the table's size then. */
  readonly retainedBytes: number;
}

/**
 * The modes' order in a round: reversed every other round, so that drift over the run (a checkpoint, the table
 * growing, a neighbour's load) does not always fall on the same mode.
 */
export function modesOfRound(round: number): readonly CaptureMode[] {
  return round % 2 === 0 ? CAPTURE_MODES : [...CAPTURE_MODES].reverse();
}

export interface ModeFigures {
  readonly mode: CaptureMode;
  readonly blocks: number;
  /** The median over the mode's blocks of each block's writes/s. */
  readonly writesPerSecond: number;
  /** Write latency over every block of the mode. */
  readonly write: LatencySummary;
  readonly lag: LatencySummary;
  readonly failed: number;
  readonly missing: number;
  readonly walBytesPerWrite: number;
  /** The largest retained figure of the mode's blocks. */
  readonly retainedBytes: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function modeFigures(blocks: readonly CaptureBlock[], mode: CaptureMode): ModeFigures {
  const own = blocks.filter((b) => b.mode === mode);
  const sum = (f: (b: CaptureBlock) => number) => own.reduce((total, b) => total + f(b), 0);
  return {
    mode,
    blocks: own.length,
    writesPerSecond: median(own.map((b) => b.writes / b.seconds)),
    write: summarise(own.flatMap((b) => b.writeLatenciesMs)),
    lag: summarise(own.flatMap((b) => b.lagsMs)),
    failed: sum((b) => b.failed),
    missing: sum((b) => b.missing),
    walBytesPerWrite: sum((b) => b.walBytes) / sum((b) => b.writes),
    retainedBytes: Math.max(0, ...own.map((b) => b.retainedBytes)),
  };
}

/** Each capture against the writer alone of the same run: throughput, write latency p50/p99, WAL per write. */
export function captureRatios(blocks: readonly CaptureBlock[], connections: number): Ratio[] {
  const base = modeFigures(blocks, 'baseline');
  const baseline = MODE_TITLES.baseline;
  return (['pgoutput', 'outbox'] as const).flatMap((mode) => {
    const figures = modeFigures(blocks, mode);
    const label = MODE_TITLES[mode];
    return [
      ratio(
        `Legacy writes/s, ${label} ÷ alone (${connections} connections)`,
        { label, value: figures.writesPerSecond, unit: 'writes/s' },
        { label: baseline, value: base.writesPerSecond, unit: 'writes/s' },
        'higher',
      ),
      ratio(
        `Legacy write p50, ${label} ÷ alone`,
        { label, value: figures.write.p50, unit: 'ms' },
        { label: baseline, value: base.write.p50, unit: 'ms' },
        'lower',
      ),
      ratio(
        `Legacy write p99, ${label} ÷ alone`,
        { label, value: figures.write.p99, unit: 'ms' },
        { label: baseline, value: base.write.p99, unit: 'ms' },
        'lower',
      ),
      ratio(
        `WAL bytes per legacy write, ${label} ÷ alone`,
        { label, value: figures.walBytesPerWrite, unit: 'B/write' },
        { label: baseline, value: base.walBytesPerWrite, unit: 'B/write' },
        'lower',
      ),
    ];
  });
}
