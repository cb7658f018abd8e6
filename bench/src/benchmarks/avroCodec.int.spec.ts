import { avroCodec } from './avroCodec';
import type { BenchContext } from './benchmark';

// A smoke test of the benchmark machinery on its cheapest benchmark: real registry, quick settings.
describe('the Avro benchmark, quick', () => {
  it('measures every side and reports the ratios with the raw numbers', async () => {
    const lines: string[] = [];
    const context: BenchContext = {
      quick: true,
      results: new Map(),
      previous: new Map(),
      say: (line) => lines.push(line),
      atEnd: () => undefined,
    };
    const result = await avroCodec.run(context);
    expect(result.name).toBe('avro');
    expect(result.ratios.map((r) => r.name)).toEqual([
      'Avro encode+decode ÷ JSON',
      'Avro encode+decode ÷ avsc alone',
      'Avro encode ÷ avsc alone',
      'Avro decode ÷ avsc alone',
      'Avro encrypted encode+decode ÷ JSON',
      'Avro encrypted encode+decode ÷ avsc alone',
    ]);
    for (const r of result.ratios) {
      expect(r.measured.value).toBeGreaterThan(0);
      expect(r.baseline.value).toBeGreaterThan(0);
      expect(r.value).toBeCloseTo(r.measured.value / r.baseline.value, 10);
      expect(r.better).toBe('higher');
    }
    expect(result.cpu['codec loops']?.[0]?.cpuSeconds).toBeGreaterThan(0);
    // Encode and decode apart, per event type and side.
    expect(result.details['UserRegistered codec+encryption decode/s']).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/\| UserForgotten \| \d+k \/ \d+k/);
  });
});
