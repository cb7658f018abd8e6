import fs from 'node:fs';
import path from 'node:path';
import type { BenchmarkResult } from '../report/figures';
import type { MachineDescription } from './machine';

export interface BenchRun {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly machine: MachineDescription;
  readonly results: readonly BenchmarkResult[];
}

export const resultsDir = path.resolve(__dirname, '..', '..', 'results');

/** Appends a run to bench/results/<date>.json (one file per day, every run of the day in it). */
export function saveRun(run: BenchRun): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${run.startedAt.slice(0, 10)}.json`);
  const runs: BenchRun[] = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { runs: BenchRun[] }).runs
    : [];
  fs.writeFileSync(file, `${JSON.stringify({ runs: [...runs, run] }, null, 2)}\n`);
  return file;
}

/** The newest figure of each benchmark across the saved runs, for a benchmark run alone that needs another's. */
export function latestResults(): Map<string, BenchmarkResult> {
  const latest = new Map<string, BenchmarkResult>();
  if (!fs.existsSync(resultsDir)) return latest;
  const files = fs
    .readdirSync(resultsDir)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort();
  for (const file of files) {
    const { runs } = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8')) as { runs: BenchRun[] };
    for (const run of runs) for (const result of run.results) latest.set(result.name, result);
  }
  return latest;
}
