import { randomUUID } from 'node:crypto';
import {
  confluentSchemaRegistry,
  fromUserEventRecord,
  loadSchemaCatalog,
  toUserEventRecord,
  userEventCodec,
} from '@eventfold/avro';
import { testEndpoints } from '@eventfold/testing';
import type { RecordedUserEvent } from '@eventfold/users-domain';
import { newReadSideEnv, topicsOf } from '@eventfold/system-tests';
import { CpuMeter } from '../measure/cpuMeter';
import { ratio, type BenchmarkResult } from '../report/figures';
import { sized, type Benchmark } from './benchmark';

/** One event of every type, with realistic field sizes. */
function sampleEvents(): RecordedUserEvent[] {
  const userId = randomUUID();
  const metadata = (version: number) => ({
    eventId: randomUUID(),
    streamId: `user-${userId}`,
    version,
    occurredAt: Date.UTC(2026, 10, 26, 15, version),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: 'key:3f9a1c2b',
  });
  const events = [
    {
      type: 'UserRegistered',
      data: { userId, name: 'Ada Lovelace', email: 'ada@example.com', locale: 'en-GB' },
    },
    {
      type: 'UserNameChanged',
      data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: 'marriage' },
    },
    {
      type: 'UserNameCorrected',
      data: { userId, oldName: 'Ada King', newName: 'Ada King-Noel', reason: 'typo' },
    },
    {
      type: 'UserEmailChanged',
      data: { userId, oldEmail: 'ada@example.com', newEmail: 'ada.king@example.org' },
    },
    { type: 'UserDeactivated', data: { userId, reason: 'requested by the user' } },
    { type: 'UserReactivated', data: { userId } },
  ];
  return events.map((e, i) => ({ ...e, metadata: metadata(i + 1) }) as RecordedUserEvent);
}

/** Round trips per second of `roundTrip` over the samples, for about `seconds`. */
async function rate(
  seconds: number,
  samples: readonly RecordedUserEvent[],
  roundTrip: (e: RecordedUserEvent) => unknown,
) {
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) {
      const result = roundTrip(samples[done % samples.length]!);
      if (result instanceof Promise) await result;
      done++;
    }
  }
  return done / ((performance.now() - started) / 1000);
}

/** Avro: encode + decode of our events (Confluent framing, registry ids, the codec the services use) ÷ JSON. */
export const avroCodec: Benchmark = {
  name: 'avro',
  title: 'Avro',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 2, 5);
    const rounds = sized(context, 2, 3);
    // Registers the event schemas under subjects of a topic of its own (nothing is written to Kafka).
    const topic = topicsOf(newReadSideEnv()).events;
    const codec = await userEventCodec(
      confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
      loadSchemaCatalog(),
      {
        topic,
      },
    );
    const samples = sampleEvents();
    const position = { topic, partition: 0, offset: '0' };
    const avro = async (event: RecordedUserEvent) => {
      const { record, value } = toUserEventRecord(event);
      const decoded = await codec.decode(codec.encode(record, value), position);
      return fromUserEventRecord(decoded.record, decoded.value);
    };
    const json = (event: RecordedUserEvent) => JSON.parse(JSON.stringify(event)) as unknown;
    let best = { avro: 0, json: 0 };
    const meter = new CpuMeter([{ name: 'bench', pid: 'self' }]).start();
    await rate(0.5, samples, avro); // warm-up
    await rate(0.5, samples, json);
    for (let round = 0; round < rounds; round++) {
      best = {
        avro: Math.max(best.avro, await rate(seconds, samples, avro)),
        json: Math.max(best.json, await rate(seconds, samples, json)),
      };
    }
    const cpu = meter.stop();
    const bytes = samples.map((e) => {
      const { record, value } = toUserEventRecord(e);
      return { avro: codec.encode(record, value).length, json: Buffer.byteLength(JSON.stringify(e)) };
    });
    const size = (k: 'avro' | 'json') => Math.round(bytes.reduce((n, b) => n + b[k], 0) / bytes.length);
    context.say(
      `  avro ${best.avro.toFixed(0)} round trips/s (${size('avro')} bytes), JSON ${best.json.toFixed(0)} (${size('json')} bytes)`,
    );
    return {
      name: this.name,
      title: this.title,
      ratios: [
        ratio(
          'Avro encode+decode ÷ JSON',
          { label: 'Avro codec', value: best.avro, unit: 'round trips/s' },
          { label: 'JSON.stringify + parse', value: best.json, unit: 'round trips/s' },
          'higher',
        ),
      ],
      cpu: { 'codec loops': cpu },
      details: { seconds, rounds, avroBytes: size('avro'), jsonBytes: size('json') },
    };
  },
};
