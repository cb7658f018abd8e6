import { sleep } from '@eventfold/core';
import { newSystem } from '../stack/system';
import { rawProbeLatencies } from '../baselines/rawProbe';
import { CpuMeter } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { summarise, type LatencySummary } from '../report/percentiles';
import { ratio, type BenchmarkResult, type CpuFigure, type Ratio } from '../report/figures';
import { newReadSideEnv } from '@eventfold/system-tests';
import { removeCreated } from '../stack/cleanup';
import { spawnBackend, stopService } from '../stack/services';
import { sized, type Benchmark, type BenchContext } from './benchmark';

const POLL_MS = 10;
/**
 * One command in SAMPLE_EVERY is timed with the token, one polled without; the others are load only. Pollers are
 * load on the query service and the shards too (a poller every 10 ms per sampled command): the more of them, the
 * more the benchmark measures itself, so only a tenth of the commands are sampled each way.
 */
const SAMPLE_EVERY = 10;

/**
 * The command rates to load at (commands/s): 50, 100 and 200, the fixed points, so that runs compare; or
 * BENCH_VISIBILITY_RATE (one rate, or several separated by commas). Ratios are taken at the middle one.
 */
function rates(): number[] {
  const fixed = (process.env.BENCH_VISIBILITY_RATE ?? '')
    .split(',')
    .map(Number)
    .filter((r) => r > 0);
  return fixed.length > 0 ? fixed : [50, 100, 200];
}

interface Samples {
  withToken: number[];
  withoutToken: number[];
  /** Commands not answered 201 (not timed). */
  commandsFailed: number;
  /** Sampled users still invisible 10 s after their command's answer. */
  notVisible: number;
}

let registrations = 0;

/**
 * Registers a user, then (for a sample: pollers are load on the read store too, and a poller per command would
 * measure the benchmark) times until the query service shows it: with the token (one read that waits), or by
 * polling every POLL_MS without it.
 */
async function oneCommand(commandUrl: string, queryUrl: string, n: number, samples: Samples): Promise<void> {
  // An address of its own: `n` starts again with each load, and a second registration of one address is refused.
  const user = registrations++;
  const response = await fetch(`${commandUrl}/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Visible User ${user}`, email: `visible${user}@example.com` }),
  });
  const answered = performance.now();
  if (response.status !== 201) {
    samples.commandsFailed++;
    return;
  }
  const { id, consistencyToken } = (await response.json()) as { id: string; consistencyToken: string };
  if (n % SAMPLE_EVERY !== 0 && n % SAMPLE_EVERY !== SAMPLE_EVERY / 2) return;
  const deadline = answered + 10_000;
  if (n % SAMPLE_EVERY === 0) {
    // A read that carries the token waits (CONSISTENCY_WAIT_MS) and answers 503 if the projector is further
    // behind: then read again, so that slow cases count with their real latency instead of dropping out.
    while (performance.now() < deadline) {
      const read = await fetch(`${queryUrl}/v1/users/${id}`, {
        headers: { 'x-consistency-token': consistencyToken },
      });
      await read.arrayBuffer();
      if (read.status === 200) {
        samples.withToken.push(performance.now() - answered);
        return;
      }
    }
    samples.notVisible++;
    return;
  }
  for (; performance.now() < deadline; await sleep(POLL_MS)) {
    const read = await fetch(`${queryUrl}/v1/users/${id}`);
    await read.arrayBuffer();
    if (read.status === 200) {
      samples.withoutToken.push(performance.now() - answered);
      return;
    }
  }
  samples.notVisible++;
}

/** Sum and count of a Prometheus histogram over all its label sets, from the text format. */
function histogramTotals(text: string, name: string): { sum: number; count: number } {
  const total = (suffix: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}_${suffix}`))
      .reduce((n, l) => n + Number(l.split(/\s+/).at(-1)), 0);
  return { sum: total('sum'), count: total('count') };
}

const ms = (label: string, value: number) => ({ label, value, unit: 'ms' });

interface RateFigures {
  readonly perSecond: number;
  readonly withToken: LatencySummary;
  readonly withoutToken: LatencySummary;
  readonly samples: Samples;
  readonly cpu: CpuFigure[];
  readonly projectorShardWrites: { sum: number; count: number };
}

/** One rate on a fresh system: command, projector and query service, loaded open-loop for `seconds`. */
async function atRate(context: BenchContext, perSecond: number, seconds: number): Promise<RateFigures> {
  const env = await newSystem();
  try {
    const command = await spawnBackend('command', env);
    const projector = await spawnBackend('projector', env);
    const query = await spawnBackend('query', env);
    try {
      let samples: Samples = { withToken: [], withoutToken: [], commandsFailed: 0, notVisible: 0 };
      const load = async (count: number) => {
        const pending: Promise<void>[] = [];
        const started = performance.now();
        for (let i = 0; i < count; i++) {
          const wait = started + (i * 1000) / perSecond - performance.now();
          if (wait > 0) await sleep(wait);
          pending.push(
            oneCommand(command.url, query.url, i, samples).catch(() => void samples.commandsFailed++),
          );
        }
        await Promise.all(pending);
      };
      await load(Math.min(40, Math.round(perSecond * 2))); // warm-up
      samples = { withToken: [], withoutToken: [], commandsFailed: 0, notVisible: 0 };
      const meter = new CpuMeter([
        { name: 'bench', pid: 'self' },
        { name: 'command', pid: command.child.pid! },
        { name: 'projector', pid: projector.child.pid! },
        { name: 'query', pid: query.child.pid! },
        ...infraProcesses(),
      ]).start();
      await load(Math.round(perSecond * seconds));
      const cpu = meter.stop();
      const metrics = await (await fetch(`${projector.url}/metrics`)).text();
      const figures: RateFigures = {
        perSecond,
        withToken: summarise(samples.withToken),
        withoutToken: summarise(samples.withoutToken),
        samples,
        cpu,
        projectorShardWrites: histogramTotals(metrics, 'eventfold_projector_shard_write_seconds'),
      };
      context.say(
        `  at ${perSecond} commands/s: with token p50 ${figures.withToken.p50.toFixed(0)} / p99 ${figures.withToken.p99.toFixed(0)} ms, without p50 ${figures.withoutToken.p50.toFixed(0)} / p99 ${figures.withoutToken.p99.toFixed(0)} ms (${samples.commandsFailed} commands failed, ${samples.notVisible} not visible after 10 s)`,
      );
      return figures;
    } finally {
      await Promise.allSettled([stopService(query), stopService(projector), stopService(command)]);
    }
  } finally {
    await removeCreated({ prefix: env.prefix, databases: [env.readDb] });
  }
}

export const visibilityLatency: Benchmark = {
  name: 'visibility',
  title: 'Visibility latency',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 8, 30);
    const measured: RateFigures[] = [];
    for (const perSecond of rates()) measured.push(await atRate(context, perSecond, seconds));
    const middle = measured[Math.floor((measured.length - 1) / 2)]!;
    const probeMeter = new CpuMeter([{ name: 'bench', pid: 'self' }, ...infraProcesses()]).start();
    const probePrefix = newReadSideEnv().prefix;
    const probe = summarise(
      await rawProbeLatencies({
        topic: `${probePrefix}probe`,
        groupId: `${probePrefix}probe`,
        perSecond: middle.perSecond,
        seconds,
      }),
    );
    const probeCpu = probeMeter.stop();
    await removeCreated({ prefix: probePrefix, databases: [] });
    context.say(
      `  raw probe at ${middle.perSecond}/s: p50 ${probe.p50.toFixed(1)} / p99 ${probe.p99.toFixed(1)} ms`,
    );
    const at = `at ${middle.perSecond} commands/s`;
    const ratios: Ratio[] = [
      ratio(
        `Visibility p50 ${at}, with consistency token`,
        ms('answer → read', middle.withToken.p50),
        ms('raw produce→consume p50', probe.p50),
        'lower',
      ),
      ratio(
        `Visibility p99 ${at}, with consistency token`,
        ms('answer → read', middle.withToken.p99),
        ms('raw produce→consume p99', probe.p99),
        'lower',
      ),
      ratio(
        `Visibility p50 ${at}, polling without token`,
        ms('answer → visible', middle.withoutToken.p50),
        ms('raw produce→consume p50', probe.p50),
        'lower',
      ),
      ratio(
        `Visibility p99 ${at}, polling without token`,
        ms('answer → visible', middle.withoutToken.p99),
        ms('raw produce→consume p99', probe.p99),
        'lower',
      ),
    ];
    const details: Record<string, number | string> = { seconds, pollMs: POLL_MS, sampledOneIn: SAMPLE_EVERY };
    const cpu: Record<string, CpuFigure[]> = { 'raw probe': probeCpu };
    for (const r of measured) {
      const key = `at${r.perSecond}`;
      Object.assign(details, {
        [`${key}.withToken.p50Ms`]: r.withToken.p50,
        [`${key}.withToken.p99Ms`]: r.withToken.p99,
        [`${key}.withoutToken.p50Ms`]: r.withoutToken.p50,
        [`${key}.withoutToken.p99Ms`]: r.withoutToken.p99,
        [`${key}.samples`]: r.withToken.count + r.withoutToken.count,
        [`${key}.commandsFailed`]: r.samples.commandsFailed,
        [`${key}.notVisibleAfter10s`]: r.samples.notVisible,
        [`${key}.projectorShardWriteMeanMs`]:
          r.projectorShardWrites.count > 0
            ? (1000 * r.projectorShardWrites.sum) / r.projectorShardWrites.count
            : Number.NaN,
      });
      cpu[`services at ${r.perSecond} commands/s`] = r.cpu;
    }
    return { name: this.name, title: this.title, ratios, cpu, details };
  },
};
