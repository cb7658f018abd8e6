/** A number a benchmark measured, with its unit ("commands/s", "ms"). */
export interface Measurement {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

export type Better = 'higher' | 'lower';

/** A benchmark's figure: what we measured divided by the raw baseline measured on the same machine in the same run. */
export interface Ratio {
  readonly name: string;
  readonly value: number;
  /** Whether a higher or a lower ratio is the good direction (throughputs: higher; latencies and times: lower). */
  readonly better: Better;
  readonly measured: Measurement;
  readonly baseline: Measurement;
}

/** CPU one process spent during a measurement, in seconds, and as a share of one core over the wall time. */
export interface CpuFigure {
  readonly process: string;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

export interface BenchmarkResult {
  readonly name: string;
  readonly title: string;
  readonly ratios: readonly Ratio[];
  /** CPU per process, per measured phase ("service", "baseline"). */
  readonly cpu: Readonly<Record<string, readonly CpuFigure[]>>;
  /** Settings and side figures (sizes, durations, concurrency) that explain the ratios. */
  readonly details: Readonly<Record<string, number | string>>;
}

export function ratio(name: string, measured: Measurement, baseline: Measurement, better: Better): Ratio {
  return { name, value: measured.value / baseline.value, better, measured, baseline };
}

/**
 * How far a ratio is from parity in its bad direction, as a factor ≥ 0 comparable across ratios of either
 * direction (1 = as good as the baseline; 4 = four times slower or a quarter of the throughput). Picks the
 * ratio worth profiling.
 */
export function shortfall(r: Ratio): number {
  return r.better === 'higher' ? 1 / r.value : r.value;
}

export function worstRatio(
  results: readonly BenchmarkResult[],
): { result: BenchmarkResult; ratio: Ratio } | null {
  let worst: { result: BenchmarkResult; ratio: Ratio } | null = null;
  for (const result of results)
    for (const r of result.ratios)
      if (Number.isFinite(r.value) && (!worst || shortfall(r) > shortfall(worst.ratio)))
        worst = { result, ratio: r };
  return worst;
}

export const cpuPercent = (figure: CpuFigure): number =>
  figure.wallSeconds > 0 ? (100 * figure.cpuSeconds) / figure.wallSeconds : 0;
