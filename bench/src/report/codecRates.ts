/** The four ways the Avro benchmark encodes and decodes the same event. */
export const CODEC_SIDES = Object.freeze(['avsc', 'codec', 'codec+encryption', 'json'] as const);
export type CodecSide = (typeof CODEC_SIDES)[number];

/** Encodes and decodes per second of one event type, one side. */
export interface OpRates {
  readonly encode: number;
  readonly decode: number;
}

/** Per event type, each side's rates. */
export type CodecRates = ReadonlyMap<string, Readonly<Record<CodecSide, OpRates>>>;

/**
 * Operations per second of a mix with one of each event type: `n / Σ 1/rate` (the time per operation adds up,
 * the rates do not). `op` picks encode, decode, or both (a round trip costs an encode and a decode).
 */
export function mixRate(rates: CodecRates, side: CodecSide, op: 'encode' | 'decode' | 'roundTrip'): number {
  let seconds = 0;
  for (const sides of rates.values()) {
    const { encode, decode } = sides[side];
    seconds += op === 'encode' ? 1 / encode : op === 'decode' ? 1 / decode : 1 / encode + 1 / decode;
  }
  return rates.size / seconds;
}

/** The per-type table the benchmark prints: thousands of operations per second, each side, encode / decode. */
export function codecRatesTable(rates: CodecRates): string[] {
  const k = (n: number) => `${Math.round(n / 1000)}k`;
  const header = `| event type | ${CODEC_SIDES.map((s) => `${s} enc / dec`).join(' | ')} |`;
  const rule = `| ${['---', ...CODEC_SIDES.map(() => '---')].join(' | ')} |`;
  return [
    header,
    rule,
    ...[...rates].map(
      ([type, sides]) =>
        `| ${type} | ${CODEC_SIDES.map((s) => `${k(sides[s].encode)} / ${k(sides[s].decode)}`).join(' | ')} |`,
    ),
  ];
}
