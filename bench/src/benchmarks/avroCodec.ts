import {
  confluentSchemaRegistry,
  loadSchemaCatalog,
  toUserEventRecord,
  userEventCodec,
} from '@eventfold/avro';
import { testEndpoints } from '@eventfold/testing';
import { newReadSideEnv, topicsOf } from '@eventfold/system-tests';
import { sampleEvents } from '../fixtures/sampleEvents';
import { CpuMeter } from '../measure/cpuMeter';
import { opsRate } from '../measure/opsRate';
import { CODEC_SIDES, codecRatesTable, mixRate, type CodecRates, type CodecSide } from '../report/codecRates';
import { ratio, type BenchmarkResult, type Ratio } from '../report/figures';
import { sized, type Benchmark } from './benchmark';
import { codecSides, sealedCodec, type CodecOps } from './codecSides';

const LABELS: Record<CodecSide, Record<'encode' | 'decode' | 'roundTrip', string>> = {
  avsc: { encode: 'avsc toBuffer', decode: 'avsc fromBuffer', roundTrip: 'avsc toBuffer + fromBuffer' },
  codec: { encode: 'Avro codec', decode: 'Avro codec', roundTrip: 'Avro codec' },
  'codec+encryption': {
    encode: 'Avro codec, encrypted',
    decode: 'Avro codec, encrypted',
    roundTrip: 'Avro codec, personal fields encrypted',
  },
  json: { encode: 'JSON.stringify', decode: 'JSON.parse', roundTrip: 'JSON.stringify + parse' },
};

/**
 * Avro: per event type, encode and decode measured apart, for avsc alone, the codec as the services use it (with
 * encryption off and on) and JSON, each side's loops alternated within a round and the best of the rounds kept.
 */
export const avroCodec: Benchmark = {
  name: 'avro',
  title: 'Avro',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 0.2, 0.5);
    const rounds = sized(context, 2, 3);
    // Registers the event schemas under subjects of a topic of its own (nothing is written to Kafka).
    const topic = topicsOf(newReadSideEnv()).events;
    const catalog = loadSchemaCatalog();
    const codec = await userEventCodec(confluentSchemaRegistry(testEndpoints().schemaRegistryUrl), catalog, {
      topic,
    });
    const sealed = await sealedCodec(codec, catalog);
    const position = { topic, partition: 0, offset: '0' };
    const samples = sampleEvents();
    const sides = new Map<string, Record<CodecSide, CodecOps>>();
    for (const event of samples)
      sides.set(event.type, await codecSides(event, codec, sealed, catalog, position));
    const zero = () => ({ encode: 0, decode: 0 });
    const best = new Map<string, Record<CodecSide, { encode: number; decode: number }>>(
      samples.map((e) => [e.type, { avsc: zero(), codec: zero(), 'codec+encryption': zero(), json: zero() }]),
    );
    const meter = new CpuMeter([{ name: 'bench', pid: 'self' }]).start();
    for (const ops of sides.values())
      for (const side of CODEC_SIDES) {
        await opsRate(0.05, ops[side].encode); // warm-up
        await opsRate(0.05, ops[side].decode);
      }
    for (let round = 0; round < rounds; round++)
      for (const [type, ops] of sides)
        for (const side of CODEC_SIDES)
          for (const op of ['encode', 'decode'] as const) {
            const figure = best.get(type)![side];
            figure[op] = Math.max(figure[op], await opsRate(seconds, ops[side][op]));
          }
    const cpu = meter.stop();
    const rates: CodecRates = best;
    for (const line of codecRatesTable(rates)) context.say(`  ${line}`);
    const sizes = { avroBytes: 0, encryptedBytes: 0, jsonBytes: 0 };
    for (const event of samples) {
      const { record, value } = toUserEventRecord(event);
      sizes.avroBytes += codec.encode(record, value).length / samples.length;
      sizes.encryptedBytes += (await sealed.encode(record, value)).bytes.length / samples.length;
      sizes.jsonBytes += Buffer.byteLength(JSON.stringify(event)) / samples.length;
    }
    context.say(
      `  bytes per record: Avro ${sizes.avroBytes.toFixed(0)}, encrypted ${sizes.encryptedBytes.toFixed(0)}, JSON ${sizes.jsonBytes.toFixed(0)}`,
    );
    const m = (side: CodecSide, op: 'encode' | 'decode' | 'roundTrip') => ({
      label: LABELS[side][op],
      value: mixRate(rates, side, op),
      unit: op === 'roundTrip' ? 'round trips/s' : `${op}s/s`,
    });
    const ratios: Ratio[] = [
      ratio('Avro encode+decode ÷ JSON', m('codec', 'roundTrip'), m('json', 'roundTrip'), 'higher'),
      ratio('Avro encode+decode ÷ avsc alone', m('codec', 'roundTrip'), m('avsc', 'roundTrip'), 'higher'),
      ratio('Avro encode ÷ avsc alone', m('codec', 'encode'), m('avsc', 'encode'), 'higher'),
      ratio('Avro decode ÷ avsc alone', m('codec', 'decode'), m('avsc', 'decode'), 'higher'),
      ratio(
        'Avro encrypted encode+decode ÷ JSON',
        m('codec+encryption', 'roundTrip'),
        m('json', 'roundTrip'),
        'higher',
      ),
      ratio(
        'Avro encrypted encode+decode ÷ avsc alone',
        m('codec+encryption', 'roundTrip'),
        m('avsc', 'roundTrip'),
        'higher',
      ),
    ];
    const details: Record<string, number> = { seconds, rounds, ...sizes };
    for (const [type, figures] of rates)
      for (const side of CODEC_SIDES)
        for (const op of ['encode', 'decode'] as const)
          details[`${type} ${side} ${op}/s`] = Math.round(figures[side][op]);
    return { name: this.name, title: this.title, ratios, cpu: { 'codec loops': cpu }, details };
  },
};
