import type { BenchmarkResult } from '../report/figures';

export interface BenchContext {
  readonly quick: boolean;
  /** Results of the benchmarks that ran before in this run (the visibility benchmark needs the command rate). */
  readonly results: ReadonlyMap<string, BenchmarkResult>;
  /** The latest results file's figures, for a benchmark run alone (`--only`) that needs another's figure. */
  readonly previous: ReadonlyMap<string, BenchmarkResult>;
  /** Progress lines for the terminal. */
  say(line: string): void;
  /** Cleans up after the last benchmark (for fixtures several benchmarks share). */
  atEnd(task: () => Promise<void>): void;
}

export interface Benchmark {
  /** What `--only` takes. */
  readonly name: string;
  readonly title: string;
  /** Minutes even at quick size: `--quick` alone leaves it out (`--only <name> --quick` runs it). */
  readonly long?: boolean;
  run(context: BenchContext): Promise<BenchmarkResult>;
}

/** Picks the size of a run: quick runs keep the whole suite under five minutes. */
export const sized = <T>(context: BenchContext, quick: T, full: T): T => (context.quick ? quick : full);
