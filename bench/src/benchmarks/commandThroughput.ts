import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { confluentSchemaRegistry, loadSchemaCatalog, singleRecordCodec } from '@eventfold/avro';
import { testEndpoints } from '@eventfold/testing';
import { envelopeToRecord } from '@eventfold/command-service';
import { newReadSideEnv, topicsOf } from '@eventfold/system-tests';
import { rawProducerRate } from '../baselines/rawProducer';
import { rawTransactionalLoopRate } from '../baselines/rawTransactionalLoop';
import { CpuMeter } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { httpLoad, type LoadResult } from '../measure/load';
import { openLoad, type OpenLoadResult } from '../measure/openLoad';
import { ratio, type BenchmarkResult, type CpuFigure, type Ratio } from '../report/figures';
import { removeCreated } from '../stack/cleanup';
import { newSystem } from '../stack/system';
import { spawnBackend, spawnGateway, stopService } from '../stack/services';
import { sized, type Benchmark, type BenchContext } from './benchmark';
import { benchKafka } from '../stack/benchKafka';

/** The connection counts of the saturation curve (closed loop), and the one every ratio is taken at. */
const CURVE = { quick: [8, 32, 128], full: [8, 32, 128, 512] };
const CONNECTIONS = 32;
/** The open-loop rate of the latency figures: a light load, where only round trips count. */
const OPEN_LOOP_RATE = 20;
/** The benchmark-only variants of the command service (without encryption, without the address claim). */
const variantMain = path.resolve(__dirname, '..', 'stack', 'variantCommandMain.ts');

let users = 0;
const registration = () => {
  const n = users++;
  return JSON.stringify({ name: `Bench User ${n}`, email: `bench${n}@example.com` });
};
const json = { 'content-type': 'application/json' };

/** One point of the saturation curve. */
interface CurvePoint extends LoadResult {
  readonly connections: number;
}

/**
 * Where adding connections stops paying: the first point after which commands/s rises by less than 10 %. Every
 * connection beyond it only adds queueing (latency).
 */
export function kneeOf(curve: readonly CurvePoint[]): CurvePoint {
  let knee = curve[0]!;
  for (const point of curve.slice(1)) {
    if (point.perSecond < knee.perSecond * 1.1) break;
    knee = point;
  }
  return knee;
}

/** Registers one user: its id, or null when the registration failed. */
async function registerOnce(url: string): Promise<string | null> {
  const response = await fetch(`${url}/v1/users`, { method: 'POST', headers: json, body: registration() });
  const body = (await response.json().catch(() => null)) as { id?: string } | null;
  return response.status === 201 && body?.id ? body.id : null;
}

/**
 * What claiming the address adds to a registration (decision 0016: the reservation's round trip before the
 * user's): registrations through the command service as deployed against the same through a variant without the
 * claim (the benchmark-only entry point, on topics of its own), open loop at the same light rate, in alternating
 * blocks (claimed, unclaimed, claimed, unclaimed) so that the machine's drift falls on both.
 */
async function measureClaimCost(context: BenchContext, claimedUrl: string, seconds: number) {
  const env = await newSystem();
  const unclaimed = await spawnBackend('command', env, { BENCH_COMMAND_VARIANT: 'unclaimed' }, variantMain);
  try {
    const block = (url: string) =>
      openLoad({
        perSecond: OPEN_LOOP_RATE,
        seconds,
        send: async () => (await registerOnce(url)) !== null,
      });
    await block(unclaimed.url); // warm-up of the variant's partition owners
    const claimed: OpenLoadResult[] = [];
    const without: OpenLoadResult[] = [];
    for (let n = 0; n < 2; n++) {
      claimed.push(await block(claimedUrl));
      without.push(await block(unclaimed.url));
    }
    const mean = (results: OpenLoadResult[], pick: (r: OpenLoadResult) => number) =>
      results.reduce((sum, r) => sum + pick(r), 0) / results.length;
    const figures = (results: OpenLoadResult[]) => ({
      p50Ms: mean(results, (r) => r.p50Ms),
      p99Ms: mean(results, (r) => r.p99Ms),
    });
    const result = {
      claimed: figures(claimed),
      unclaimed: figures(without),
      failed: [...claimed, ...without].reduce((sum, r) => sum + r.failed, 0),
    };
    const ms = (r: { p50Ms: number; p99Ms: number }) =>
      `p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`;
    context.say(
      `  registrations at ${OPEN_LOOP_RATE}/s, alternating: with the address claim ${ms(result.claimed)}; without ${ms(result.unclaimed)}; ${result.failed} failed`,
    );
    return result;
  } finally {
    await stopService(unclaimed);
    await removeCreated({ prefix: env.prefix, databases: [] });
  }
}

/** The command service as deployed (personal fields encrypted): the curve, the open loop, and the gateway. */
async function measureService(context: BenchContext, seconds: number) {
  const env = await newSystem();
  const apiKey = randomBytes(24).toString('base64url');
  const command = await spawnBackend('command', env);
  const gateway = await spawnGateway({ commandUrl: command.url, queryUrl: command.url, apiKey });
  const meter = () =>
    new CpuMeter([
      { name: 'bench', pid: 'self' },
      { name: 'command', pid: command.child.pid! },
      { name: 'gateway', pid: gateway.child.pid! },
      ...infraProcesses().filter((p) => p.name === 'kafka'),
    ]);
  const cpu: Record<string, CpuFigure[]> = {};
  try {
    const load = (connections: number, duration: number, url = command.url, headers = {}) =>
      httpLoad({
        url: `${url}/v1/users`,
        method: 'POST',
        headers: { ...json, ...headers },
        body: registration,
        connections,
        seconds: duration,
      });
    // Warm-up: JIT, connection pools, the partition owners' first transactions.
    await load(CONNECTIONS, 3);
    const curve: CurvePoint[] = [];
    for (const connections of sized(context, CURVE.quick, CURVE.full)) {
      const m = meter().start();
      const point = { connections, ...(await load(connections, seconds)) };
      cpu[`command service, ${connections} connections`] = m.stop();
      curve.push(point);
      context.say(
        `  ${connections} connections: ${point.perSecond.toFixed(0)} commands/s, p50 ${point.latencyP50Ms} ms, p99 ${point.latencyP99Ms} ms, ${point.failed} failed`,
      );
    }
    const open = await openLoad({
      perSecond: OPEN_LOOP_RATE,
      seconds: Math.max(10, seconds),
      send: async () => (await registerOnce(command.url)) !== null,
    });
    context.say(
      `  open loop at ${OPEN_LOOP_RATE}/s: p50 ${open.p50Ms.toFixed(1)} ms, p99 ${open.p99Ms.toFixed(1)} ms, p99.9 ${open.p999Ms.toFixed(1)} ms, ${open.failed} failed`,
    );
    const claim = await measureClaimCost(context, command.url, Math.max(10, seconds));
    const m = meter().start();
    const through = await load(CONNECTIONS, seconds, gateway.url, { authorization: `Bearer ${apiKey}` });
    cpu[`through the gateway, ${CONNECTIONS} connections`] = m.stop();
    context.say(
      `  through the gateway: ${through.perSecond.toFixed(0)} commands/s (${through.failed} failed)`,
    );
    return { curve, open, claim, gateway: through, cpu };
  } finally {
    await Promise.allSettled([stopService(gateway), stopService(command)]);
    await removeCreated({ prefix: env.prefix, databases: [] });
  }
}

/** The same, without encryption (a benchmark-only entry point): what encryption costs, at 32 connections. */
async function measurePlaintext(context: BenchContext, seconds: number): Promise<LoadResult> {
  const env = await newSystem();
  const command = await spawnBackend('command', env, { BENCH_COMMAND_VARIANT: 'plaintext' }, variantMain);
  try {
    const load = (duration: number) =>
      httpLoad({
        url: `${command.url}/v1/users`,
        method: 'POST',
        headers: json,
        body: registration,
        connections: CONNECTIONS,
        seconds: duration,
      });
    await load(3);
    const result = await load(seconds);
    context.say(`  without encryption: ${result.perSecond.toFixed(0)} commands/s`);
    return result;
  } finally {
    await stopService(command);
    await removeCreated({ prefix: env.prefix, databases: [] });
  }
}

/** Avro command envelopes of registrations, keyed by stream id: the records the command service writes. */
async function commandRecords(prefix: string) {
  const codec = await singleRecordCodec(
    confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
    loadSchemaCatalog(),
    topicsOf({ prefix, readDb: '', partitions: 12 }).commands,
    'UserCommandEnvelope',
  );
  return Array.from({ length: 2000 }, (_, n) => {
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
}

/** The baselines: a raw idempotent producer, and the raw transactional loop, both at 32 concurrent clients. */
async function measureRaw(context: BenchContext, kafka: Kafka, prefix: string, seconds: number) {
  const topic = `${prefix}raw.commands`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 12, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const records = await commandRecords(prefix);
  await rawProducerRate({ kafka, topic, records, concurrency: CONNECTIONS, seconds: 2 }); // warm-up
  const meter = () =>
    new CpuMeter([{ name: 'bench', pid: 'self' }, ...infraProcesses().filter((p) => p.name === 'kafka')]);
  let m = meter().start();
  const producer = await rawProducerRate({ kafka, topic, records, concurrency: CONNECTIONS, seconds });
  const producerCpu = m.stop();
  context.say(`  raw idempotent producer: ${producer.perSecond.toFixed(0)} records/s`);
  m = meter().start();
  const loop = await rawTransactionalLoopRate({
    kafka,
    input: `${prefix}raw.loop.in`,
    output: `${prefix}raw.loop.out`,
    groupId: `${prefix}raw.loop`,
    partitions: 12,
    records,
    concurrency: CONNECTIONS,
    seconds,
  });
  const loopCpu = m.stop();
  context.say(
    `  raw transactional loop: ${loop.perSecond.toFixed(0)} round trips/s (${(loop.completed / Math.max(1, loop.transactions)).toFixed(1)} records per transaction)`,
  );
  return { producer, producerCpu, loop, loopCpu };
}

const perSecond = (label: string, value: number, unit = 'commands/s') => ({ label, value, unit });

export const commandThroughput: Benchmark = {
  name: 'commands',
  title: 'Command throughput',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 6, 20);
    const rawPrefix = `${newReadSideEnv().prefix}`;
    const kafka = benchKafka('bench-raw');
    try {
      const raw = await measureRaw(context, kafka, rawPrefix, seconds);
      const service = await measureService(context, seconds);
      const plaintext = await measurePlaintext(context, seconds);
      const at32 = service.curve.find((p) => p.connections === CONNECTIONS)!;
      const knee = kneeOf(service.curve);
      const loopBaseline = perSecond('raw transactional loop', raw.loop.perSecond, 'round trips/s');
      const producerBaseline = perSecond(
        'raw kafkajs idempotent producer',
        raw.producer.perSecond,
        'records/s',
      );
      const open: OpenLoadResult = service.open;
      const ratios: Ratio[] = [
        ratio(
          `Commands/s, command service ÷ raw transactional loop (${CONNECTIONS} clients each)`,
          perSecond('command service', at32.perSecond),
          loopBaseline,
          'higher',
        ),
        ratio(
          `Commands/s at the knee (${knee.connections} connections) ÷ raw producer`,
          perSecond('command service', knee.perSecond),
          producerBaseline,
          'higher',
        ),
        ratio(
          `Commands/s, through the gateway ÷ raw producer (${CONNECTIONS} connections)`,
          perSecond('gateway', service.gateway.perSecond),
          producerBaseline,
          'higher',
        ),
        ratio(
          `Registration latency with the address claim ÷ without, p50, open loop at ${OPEN_LOOP_RATE}/s`,
          { label: 'with the claim', value: service.claim.claimed.p50Ms, unit: 'ms' },
          { label: 'without', value: service.claim.unclaimed.p50Ms, unit: 'ms' },
          'lower',
        ),
        ratio(
          `Registration latency with the address claim ÷ without, p99, open loop at ${OPEN_LOOP_RATE}/s`,
          { label: 'with the claim', value: service.claim.claimed.p99Ms, unit: 'ms' },
          { label: 'without', value: service.claim.unclaimed.p99Ms, unit: 'ms' },
          'lower',
        ),
        ratio(
          'Commands/s with encryption ÷ without (command service)',
          perSecond('with encryption', at32.perSecond),
          perSecond('without encryption', plaintext.perSecond),
          'higher',
        ),
      ];
      const details: Record<string, number | string> = {
        seconds,
        connections: CONNECTIONS,
        knee: knee.connections,
        rawTransactionalLoopPerSecond: raw.loop.perSecond,
        rawTransactionalLoopRecordsPerTransaction: raw.loop.completed / Math.max(1, raw.loop.transactions),
        rawProducerPerSecond: raw.producer.perSecond,
        [`openLoop${OPEN_LOOP_RATE}.p50Ms`]: open.p50Ms,
        [`openLoop${OPEN_LOOP_RATE}.p99Ms`]: open.p99Ms,
        [`openLoop${OPEN_LOOP_RATE}.p999Ms`]: open.p999Ms,
        [`openLoop${OPEN_LOOP_RATE}.failed`]: open.failed,
        'claim.with.p50Ms': service.claim.claimed.p50Ms,
        'claim.with.p99Ms': service.claim.claimed.p99Ms,
        'claim.without.p50Ms': service.claim.unclaimed.p50Ms,
        'claim.without.p99Ms': service.claim.unclaimed.p99Ms,
        'claim.failed': service.claim.failed,
        'plain.serviceCommandsPerSecond': at32.perSecond,
        'without encryption.serviceCommandsPerSecond': plaintext.perSecond,
      };
      for (const point of service.curve) {
        details[`curve.${point.connections}.perSecond`] = point.perSecond;
        details[`curve.${point.connections}.p50Ms`] = point.latencyP50Ms;
        details[`curve.${point.connections}.p99Ms`] = point.latencyP99Ms;
        details[`curve.${point.connections}.failed`] = point.failed;
      }
      return {
        name: this.name,
        title: this.title,
        ratios,
        cpu: { 'raw producer': raw.producerCpu, 'raw transactional loop': raw.loopCpu, ...service.cpu },
        details,
      };
    } finally {
      await removeCreated({ prefix: rawPrefix, databases: [] });
    }
  },
};
