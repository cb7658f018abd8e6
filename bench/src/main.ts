// `pnpm bench [--quick] [--only <name>]`: every benchmark on the local real stack next to its raw baseline.
import { provisionInfrastructure } from '@eventfold/testing';
import { parseBenchArgs } from './args';
import { benchmarks } from './benchmarks/suite';
import { describeMachine } from './output/machine';
import { stopAll } from './stack/services';
import { latestResults, saveRun } from './output/resultsFile';
import { worstRatio, type BenchmarkResult } from './report/figures';
import { cpuLines, formatRatio, markdownTable } from './report/table';

async function main(): Promise<void> {
  const options = parseBenchArgs(
    process.argv.slice(2),
    benchmarks.map((b) => b.name),
    benchmarks.filter((b) => b.long).map((b) => b.name),
  );
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const provisioned = await provisionInfrastructure((line) => say(`[infra] ${line}`));
  Object.assign(process.env, provisioned.env);
  const startedAt = new Date().toISOString();
  const results = new Map<string, BenchmarkResult>();
  const previous = latestResults();
  const failures: string[] = [];
  const atEnd: (() => Promise<void>)[] = [];
  try {
    for (const benchmark of options.only.map((name) => benchmarks.find((b) => b.name === name)!)) {
      const started = Date.now();
      say(`▶ ${benchmark.title} (${benchmark.name})`);
      try {
        const result = await benchmark.run({
          quick: options.quick,
          results,
          previous,
          say,
          atEnd: (task) => atEnd.push(task),
        });
        results.set(benchmark.name, result);
        for (const r of result.ratios) say(`  = ${r.name}: ${formatRatio(r)}`);
        for (const line of cpuLines(result)) say(`  cpu ${line}`);
      } catch (error) {
        failures.push(benchmark.name);
        say(`  ✗ ${benchmark.name} failed: ${(error as Error).stack ?? String(error)}`);
      }
      await stopAll();
      say(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    for (const task of atEnd)
      await task().catch((error: unknown) => say(`  cleanup failed: ${String(error)}`));
    await provisioned.release();
  }
  const all = [...results.values()];
  const file = saveRun({
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    machine: describeMachine(),
    results: all,
  });
  say(`\n${markdownTable(all)}\n`);
  const worst = worstRatio(all);
  if (worst) say(`Worst ratio: ${worst.ratio.name} = ${formatRatio(worst.ratio)}`);
  say(`Results: ${file}`);
  if (failures.length > 0) {
    say(`Failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main().then(
  // Kafka clients of a failed benchmark may keep the event loop alive: the run is over.
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
