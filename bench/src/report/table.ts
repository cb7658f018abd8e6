import { cpuPercent, type BenchmarkResult, type Measurement, type Ratio } from './figures';

/** Three significant digits, grouped thousands for large numbers: figures of noisy runs carry no more. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

export const formatMeasurement = (m: Measurement): string => `${formatNumber(m.value)} ${m.unit}`;

export function formatRatio(r: Ratio): string {
  return `${r.value >= 100 ? formatNumber(r.value) : r.value.toFixed(2)} (${r.better} is better)`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README table: one row per ratio, with the raw numbers it divides. */
export function markdownTable(results: readonly BenchmarkResult[]): string {
  const rows = ['| benchmark | ratio | measured | baseline |', '| --------- | ----- | -------- | -------- |'];
  for (const result of results)
    for (const r of result.ratios)
      rows.push(
        `| ${cell(r.name)} | ${formatRatio(r)} | ${cell(`${r.measured.label}: ${formatMeasurement(r.measured)}`)} | ${cell(`${r.baseline.label}: ${formatMeasurement(r.baseline)}`)} |`,
      );
  return rows.join('\n');
}

/** CPU per process of each measured phase, one line per phase: `service: command 85%, bench 40%`. */
export function cpuLines(result: BenchmarkResult): string[] {
  return Object.entries(result.cpu).map(
    ([phase, figures]) =>
      `${phase}: ${figures.map((f) => `${f.process} ${Math.round(cpuPercent(f))}%`).join(', ')}`,
  );
}
