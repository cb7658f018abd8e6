import { ratio, shortfall, worstRatio, type BenchmarkResult } from './figures';
import { cpuLines, formatNumber, formatRatio, markdownTable } from './table';

const commands = ratio(
  'command throughput',
  { label: 'command service', value: 412.3456, unit: 'commands/s' },
  { label: 'raw producer', value: 1650, unit: 'records/s' },
  'higher',
);
const latency = ratio(
  'visibility p99',
  { label: 'query service', value: 48, unit: 'ms' },
  { label: 'raw probe', value: 12, unit: 'ms' },
  'lower',
);
const result = (ratios: BenchmarkResult['ratios']): BenchmarkResult => ({
  name: 'x',
  title: 'x',
  ratios,
  cpu: { service: [{ process: 'command', cpuSeconds: 4.2, wallSeconds: 5 }] },
  details: {},
});

describe('figures', () => {
  it('divides the measured value by the baseline', () => {
    expect(commands.value).toBeCloseTo(0.2499, 3);
    expect(latency.value).toBe(4);
  });

  it('compares ratios of either direction by how far they fall short of parity', () => {
    expect(shortfall(commands)).toBeCloseTo(4.0015, 3);
    expect(shortfall(latency)).toBe(4);
    expect(worstRatio([result([latency]), result([commands])])?.ratio).toBe(commands);
    expect(worstRatio([])).toBeNull();
  });
});

describe('formatting', () => {
  it('keeps three significant digits, and groups thousands', () => {
    expect(formatNumber(412.3456)).toBe('412');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });

  it('shows a ratio with two decimals and its good direction', () => {
    expect(formatRatio(commands)).toBe('0.25 (higher is better)');
    expect(formatRatio(latency)).toBe('4.00 (lower is better)');
  });

  it('renders one table row per ratio with both raw numbers', () => {
    expect(markdownTable([result([commands, latency])]).split('\n')).toEqual([
      '| benchmark | ratio | measured | baseline |',
      '| --------- | ----- | -------- | -------- |',
      '| command throughput | 0.25 (higher is better) | command service: 412 commands/s | raw producer: 1,650 records/s |',
      '| visibility p99 | 4.00 (lower is better) | query service: 48 ms | raw probe: 12 ms |',
    ]);
  });

  it('escapes pipes inside cells', () => {
    const piped = ratio(
      'a | b',
      { label: 'x', value: 1, unit: 'u' },
      { label: 'y', value: 1, unit: 'u' },
      'higher',
    );
    expect(markdownTable([result([piped])])).toContain('| a \\| b |');
  });

  it('gives CPU per process as a share of one core', () => {
    expect(cpuLines(result([]))).toEqual(['service: command 84%']);
  });
});
