import {
  produceCommandsInBulk,
  type ReadSideEnv,
  registrationsAndRenames,
  startCommand,
  topicsOf,
} from '@eventfold/system-tests';
import { newSystem } from '../stack/system';
import { cpuSeconds } from '../measure/cpuMeter';
import { percentile } from '../report/percentiles';
import { ratio, type BenchmarkResult, type CpuFigure } from '../report/figures';
import { removeCreated } from '../stack/cleanup';
import { spawnBackend, stopService } from '../stack/services';
import { sized, type Benchmark, type BenchContext } from './benchmark';

/** The restore time the partition owner reports (the sum of eventfold_partition_restore_seconds over its partitions). */
async function restoreSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('eventfold_partition_restore_seconds_sum'));
  if (!line) throw new Error('The command service reports no restore time');
  return Number(line.split(/\s+/).at(-1));
}

/**
 * One partition whose `streams` streams hold `eventsPerStream` events each; then `restarts` fresh command
 * processes, each restoring the partition from snapshots. Answers the median restore time.
 */
async function restoreOf(
  context: BenchContext,
  env: ReadSideEnv,
  o: { streams: number; eventsPerStream: number; restarts: number },
): Promise<{ seconds: number; cpu: CpuFigure[] }> {
  const writer = await startCommand(env);
  try {
    await produceCommandsInBulk(
      topicsOf(env),
      `${env.prefix}command-processor.users`,
      registrationsAndRenames(o.streams, o.eventsPerStream - 1),
      undefined,
      env.keyStoreDb,
    );
  } finally {
    await writer.stop();
  }
  const times: number[] = [];
  let cpu: CpuFigure[] = [];
  for (let i = 0; i < o.restarts; i++) {
    const spawned = performance.now();
    const command = await spawnBackend('command', env);
    try {
      times.push(await restoreSeconds(command.url));
      const used = cpuSeconds(command.child.pid!);
      const wallSeconds = (performance.now() - spawned) / 1000;
      // From spawn to ready: start-up (tsx, connections, group join) and the restore.
      cpu = used === null ? [] : [{ process: 'command, spawn to ready', cpuSeconds: used, wallSeconds }];
    } finally {
      await stopService(command);
    }
  }
  const seconds = percentile(times, 50);
  context.say(
    `  ${o.streams} streams × ${o.eventsPerStream} events: restore ${(seconds * 1000).toFixed(0)} ms (${times.map((t) => (t * 1000).toFixed(0)).join(', ')})`,
  );
  return { seconds, cpu };
}

/** Restore: a partition of streams with 10,000 events each ÷ the same streams with 100 events each. */
export const restore: Benchmark = {
  name: 'restore',
  title: 'Restore',
  async run(context): Promise<BenchmarkResult> {
    const streams = sized(context, 2, 5);
    const restarts = sized(context, 3, 5);
    const systems: ReadSideEnv[] = [];
    const system = async () => {
      const env = await newSystem(1);
      systems.push(env);
      return env;
    };
    try {
      const big = await restoreOf(context, await system(), { streams, eventsPerStream: 10_000, restarts });
      const base = await restoreOf(context, await system(), { streams, eventsPerStream: 100, restarts });
      const ms = (label: string, s: number) => ({ label, value: s * 1000, unit: 'ms' });
      return {
        name: this.name,
        title: this.title,
        ratios: [
          ratio(
            'Restore time, 10,000 ÷ 100 events per stream',
            ms(`${streams} streams × 10,000 events`, big.seconds),
            ms(`${streams} streams × 100 events`, base.seconds),
            'lower',
          ),
        ],
        cpu: { '10,000 events per stream': big.cpu, '100 events per stream': base.cpu },
        details: { streams, restarts, partitions: 1 },
      };
    } finally {
      await Promise.allSettled(systems.map((env) => removeCreated({ prefix: env.prefix, databases: [] })));
    }
  },
};
