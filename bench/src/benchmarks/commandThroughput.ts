import { randomBytes, randomUUID } from 'node:crypto';
import { confluentSchemaRegistry, loadSchemaCatalog, singleRecordCodec } from '@eventfold/avro';
import { createKafka } from '@eventfold/kafka';
import { createLogger } from '@eventfold/observability';
import { testEndpoints } from '@eventfold/testing';
import { envelopeToRecord } from '../../../services/command/src/processing/wire';
import { newReadSideEnv, topicsOf } from '../../../tests/support/readSide';
import { rawProducerRate } from '../baselines/rawProducer';
import { CpuMeter } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { httpLoad } from '../measure/load';
import { ratio, type BenchmarkResult, type CpuFigure, type Ratio } from '../report/figures';
import { removeCreated } from '../stack/cleanup';
import { newSystem } from '../stack/system';
import { spawnBackend, spawnGateway, stopService } from '../stack/services';
import { sized, type Benchmark, type BenchContext } from './benchmark';

/**
 * A way of running the command service to compare. Today one; issue 10 adds "with encryption", measured the same
 * way and divided by the plain variant.
 */
export interface CommandVariant {
  readonly name: string;
  /** Environment of the command service for this variant. */
  readonly env: Readonly<Record<string, string>>;
}

export const commandVariants: readonly CommandVariant[] = [{ name: 'plain', env: {} }];

const CONNECTIONS = 32;

let users = 0;
const registration = () => {
  const n = users++;
  return JSON.stringify({ name: `Bench User ${n}`, email: `bench${n}@example.com` });
};

interface VariantFigures {
  readonly service: number;
  readonly gateway: number;
  readonly cpu: Record<string, CpuFigure[]>;
}

async function measureVariant(
  context: BenchContext,
  variant: CommandVariant,
  env: ReturnType<typeof newReadSideEnv>,
  seconds: number,
) {
  const apiKey = randomBytes(24).toString('base64url');
  const command = await spawnBackend('command', env, { ...variant.env });
  const gateway = await spawnGateway({ commandUrl: command.url, queryUrl: command.url, apiKey });
  const meter = () =>
    new CpuMeter([
      { name: 'bench', pid: 'self' },
      { name: 'command', pid: command.child.pid! },
      { name: 'gateway', pid: gateway.child.pid! },
      ...infraProcesses().filter((p) => p.name === 'kafka'),
    ]);
  const json = { 'content-type': 'application/json' };
  try {
    // Warm-up: JIT, connection pools, the partition owners' first transactions.
    await httpLoad({
      url: `${command.url}/v1/users`,
      method: 'POST',
      headers: json,
      body: registration,
      connections: CONNECTIONS,
      seconds: 2,
    });
    const cpuService = meter().start();
    const service = await httpLoad({
      url: `${command.url}/v1/users`,
      method: 'POST',
      headers: json,
      body: registration,
      connections: CONNECTIONS,
      seconds,
    });
    const cpu: Record<string, CpuFigure[]> = { [`${variant.name}: command service`]: cpuService.stop() };
    const cpuGateway = meter().start();
    const through = await httpLoad({
      url: `${gateway.url}/v1/users`,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${apiKey}` },
      body: registration,
      connections: CONNECTIONS,
      seconds,
    });
    cpu[`${variant.name}: through the gateway`] = cpuGateway.stop();
    context.say(
      `  ${variant.name}: ${service.perSecond.toFixed(0)} commands/s (p99 ${service.latencyP99Ms} ms, ${service.failed} failed); through the gateway ${through.perSecond.toFixed(0)} (${through.failed} failed)`,
    );
    return { service: service.perSecond, gateway: through.perSecond, cpu } satisfies VariantFigures;
  } finally {
    await Promise.allSettled([stopService(gateway), stopService(command)]);
  }
}

async function measureRaw(context: BenchContext, prefix: string, seconds: number) {
  const kafka = createKafka({
    brokers: testEndpoints().kafkaBrokers,
    clientId: 'bench-raw-producer',
    logger: createLogger('bench', 'silent'),
  });
  const topic = `${prefix}raw.commands`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 12, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const codec = await singleRecordCodec(
    confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
    loadSchemaCatalog(),
    topicsOf({ prefix, readDb: '', partitions: 12 }).commands,
    'UserCommandEnvelope',
  );
  // The same records the command service writes: Avro command envelopes of registrations, keyed by stream id.
  const records = Array.from({ length: 2000 }, (_, n) => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    const envelope = envelopeToRecord({
      streamId,
      expectedVersion: null,
      command: {
        type: 'RegisterUser',
        data: { userId, name: `Bench User ${n}`, email: `bench${n}@example.com`, locale: null },
        metadata: {
          commandId: randomUUID(),
          now: Date.now(),
          actor: 'bench',
          correlationId: 'c',
          causationId: 'c',
        },
      },
    });
    return { key: streamId, value: codec.encode('eventfold.users.UserCommandEnvelope', envelope) };
  });
  await rawProducerRate({ kafka, topic, records, concurrency: CONNECTIONS, seconds: 2 }); // warm-up
  const meter = new CpuMeter([
    { name: 'bench', pid: 'self' },
    ...infraProcesses().filter((p) => p.name === 'kafka'),
  ]).start();
  const raw = await rawProducerRate({ kafka, topic, records, concurrency: CONNECTIONS, seconds });
  const cpu = meter.stop();
  context.say(`  raw idempotent producer: ${raw.perSecond.toFixed(0)} records/s`);
  return { perSecond: raw.perSecond, cpu };
}

export const commandThroughput: Benchmark = {
  name: 'commands',
  title: 'Command throughput',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 8, 20);
    const rawPrefix = `${newReadSideEnv().prefix}`;
    const ratios: Ratio[] = [];
    const cpu: Record<string, CpuFigure[]> = {};
    const details: Record<string, number | string> = { connections: CONNECTIONS, seconds };
    try {
      const raw = await measureRaw(context, rawPrefix, seconds);
      cpu['raw producer'] = raw.cpu;
      const baseline = { label: 'raw kafkajs idempotent producer', value: raw.perSecond, unit: 'records/s' };
      for (const variant of commandVariants) {
        const env = await newSystem();
        const figures = await measureVariant(context, variant, env, seconds).finally(() =>
          removeCreated({ prefix: env.prefix, databases: [] }),
        );
        Object.assign(cpu, figures.cpu);
        const suffix = variant.name === 'plain' ? '' : ` (${variant.name})`;
        ratios.push(
          ratio(
            `Commands/s, command service${suffix}`,
            { label: 'command service', value: figures.service, unit: 'commands/s' },
            baseline,
            'higher',
          ),
          ratio(
            `Commands/s, through the gateway${suffix}`,
            { label: 'gateway', value: figures.gateway, unit: 'commands/s' },
            baseline,
            'higher',
          ),
        );
        details[`${variant.name}.serviceCommandsPerSecond`] = figures.service;
      }
    } finally {
      await removeCreated({ prefix: rawPrefix, databases: [] });
    }
    return { name: this.name, title: this.title, ratios, cpu, details };
  },
};
