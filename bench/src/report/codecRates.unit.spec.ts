import { codecRatesTable, mixRate, type CodecRates, type OpRates } from './codecRates';

const same = (r: OpRates) => ({ avsc: r, codec: r, 'codec+encryption': r, json: r });
const rates: CodecRates = new Map([
  ['A', same({ encode: 100, decode: 400 })],
  ['B', same({ encode: 300, decode: 400 })],
]);

describe('the Avro benchmark figures', () => {
  it('adds the time per operation over the mix of types, not the rates', () => {
    // 1/100 + 1/300 = 4/300 s for two encodes: 150 a second.
    expect(mixRate(rates, 'codec', 'encode')).toBeCloseTo(150, 10);
    expect(mixRate(rates, 'codec', 'decode')).toBeCloseTo(400, 10);
    // Two round trips take 4/300 + 2/400 s.
    expect(mixRate(rates, 'codec', 'roundTrip')).toBeCloseTo(2 / (4 / 300 + 2 / 400), 10);
  });

  it('prints a row per event type with every side in thousands', () => {
    const big: CodecRates = new Map([['UserRegistered', same({ encode: 1_234_567, decode: 98_400 })]]);
    const [header, , row] = codecRatesTable(big);
    expect(header).toContain('codec+encryption enc / dec');
    expect(row).toBe('| UserRegistered | 1235k / 98k | 1235k / 98k | 1235k / 98k | 1235k / 98k |');
  });
});
