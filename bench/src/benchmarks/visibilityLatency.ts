import { newSystem } from '../stack/system';
import { rawProbeLatencies } from '../baselines/rawProbe';
import { CpuMeter } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { summarise, type LatencySummary } from '../report/percentiles';
import { ratio, type BenchmarkResult, type Ratio } from '../report/figures';
import { removeCreated } from '../stack/cleanup';
import { spawnBackend, stopService } from '../stack/services';
import { sized, type Benchmark, type BenchContext } from './benchmark';

const POLL_MS = 10;
/** One command in SAMPLE_EVERY is timed with the token, one polled without; the others are load only. */
const SAMPLE_EVERY = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The command rate to load at: half the maximum the command benchmark measured (this run's, else the latest), or
 * BENCH_VISIBILITY_RATE (commands/s) to compare runs at one load.
 */
function halfMaximumLoad(context: BenchContext): number {
  const fixed = Number(process.env.BENCH_VISIBILITY_RATE);
  if (fixed > 0) return fixed;
  const measured = (context.results.get('commands') ?? context.previous.get('commands'))?.ratios[0]?.measured
    .value;
  return Math.max(1, (measured ?? 40) / 2);
}

interface Samples {
  withToken: number[];
  withoutToken: number[];
  /** Commands not answered 201 (not timed). */
  commandsFailed: number;
  /** Sampled users still invisible 10 s after their command's answer. */
  notVisible: number;
}

/**
 * Registers a user, then (for a sample: pollers are load on the read store too, and a poller per command would
 * measure the benchmark) times until the query service shows it: with the token (one read that waits), or by
 * polling every POLL_MS without it.
 */
async function oneCommand(commandUrl: string, queryUrl: string, n: number, samples: Samples): Promise<void> {
  const response = await fetch(`${commandUrl}/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Visible User ${n}`, email: `visible${n}@example.com` }),
  });
  const answered = performance.now();
  if (response.status !== 201) {
    samples.commandsFailed++;
    return;
  }
  const { id, consistencyToken } = (await response.json()) as { id: string; consistencyToken: string };
  if (n % SAMPLE_EVERY === 1) return;
  if (n % SAMPLE_EVERY === 3) return;
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

export const visibilityLatency: Benchmark = {
  name: 'visibility',
  title: 'Visibility latency',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 10, 30);
    const perSecond = halfMaximumLoad(context);
    const env = await newSystem();
    try {
      const command = await spawnBackend('command', env);
      const projector = await spawnBackend('projector', env);
      const query = await spawnBackend('query', env);
      let samples: Samples = { withToken: [], withoutToken: [], commandsFailed: 0, notVisible: 0 };
      let cpu;
      let projectorMetrics = '';
      try {
        const meter = () =>
          new CpuMeter([
            { name: 'bench', pid: 'self' },
            { name: 'command', pid: command.child.pid! },
            { name: 'projector', pid: projector.child.pid! },
            { name: 'query', pid: query.child.pid! },
            ...infraProcesses(),
          ]);
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
        await load(Math.min(20, Math.round(perSecond * 2))); // warm-up
        samples = { withToken: [], withoutToken: [], commandsFailed: 0, notVisible: 0 };
        const m = meter().start();
        await load(Math.round(perSecond * seconds));
        cpu = m.stop();
        projectorMetrics = await (await fetch(`${projector.url}/metrics`)).text();
      } finally {
        await Promise.allSettled([stopService(query), stopService(projector), stopService(command)]);
      }
      const writes = histogramTotals(projectorMetrics, 'eventfold_projector_shard_write_seconds');
      const probeMeter = new CpuMeter([{ name: 'bench', pid: 'self' }, ...infraProcesses()]).start();
      const probe = summarise(
        await rawProbeLatencies({
          topic: `${env.prefix}probe`,
          groupId: `${env.prefix}probe`,
          perSecond,
          seconds,
        }),
      );
      const probeCpu = probeMeter.stop();
      const withToken: LatencySummary = summarise(samples.withToken);
      const withoutToken: LatencySummary = summarise(samples.withoutToken);
      context.say(
        `  at ${perSecond.toFixed(0)} commands/s: with token p50 ${withToken.p50.toFixed(0)} / p99 ${withToken.p99.toFixed(0)} ms, without p50 ${withoutToken.p50.toFixed(0)} / p99 ${withoutToken.p99.toFixed(0)} ms (${samples.commandsFailed} commands failed, ${samples.notVisible} not visible after 10 s); probe p50 ${probe.p50.toFixed(1)} / p99 ${probe.p99.toFixed(1)} ms`,
      );
      const ratios: Ratio[] = [
        ratio(
          'Visibility p50, with consistency token',
          ms('answer → read', withToken.p50),
          ms('raw produce→consume p50', probe.p50),
          'lower',
        ),
        ratio(
          'Visibility p99, with consistency token',
          ms('answer → read', withToken.p99),
          ms('raw produce→consume p99', probe.p99),
          'lower',
        ),
        ratio(
          'Visibility p50, polling without token',
          ms('answer → visible', withoutToken.p50),
          ms('raw produce→consume p50', probe.p50),
          'lower',
        ),
        ratio(
          'Visibility p99, polling without token',
          ms('answer → visible', withoutToken.p99),
          ms('raw produce→consume p99', probe.p99),
          'lower',
        ),
      ];
      return {
        name: this.name,
        title: this.title,
        ratios,
        cpu: { 'services under load': cpu ?? [], 'raw probe': probeCpu },
        details: {
          commandsPerSecond: perSecond,
          seconds,
          withTokenSamples: withToken.count,
          withoutTokenSamples: withoutToken.count,
          commandsFailed: samples.commandsFailed,
          notVisibleAfter10s: samples.notVisible,
          pollMs: POLL_MS,
          sampledOneIn: SAMPLE_EVERY,
          projectorShardWrites: writes.count,
          projectorShardWriteMeanMs: writes.count > 0 ? (1000 * writes.sum) / writes.count : Number.NaN,
        },
      };
    } finally {
      await removeCreated({ prefix: env.prefix, databases: [env.readDb] });
    }
  },
};
