import type { ServiceProcess } from '@eventfold/testing';
import { CpuMeter } from '../measure/cpuMeter';
import { httpLoad, type LoadResult } from '../measure/load';
import type { CpuFigure } from '../report/figures';

/** One side of a paired load: where requests go and which processes serve them (their CPU is measured). */
export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly processes: readonly { readonly name: string; readonly service: ServiceProcess }[];
  readonly headers?: Record<string, string>;
}

export interface PairedFigures {
  readonly result: LoadResult;
  readonly cpu: CpuFigure[];
}

/** The figures of each target, in the order of the targets. */
export type AlternatedFigures = readonly [PairedFigures, PairedFigures, ...PairedFigures[]];

/**
 * The same request loaded on two targets or more (the baseline first), alternating within each round so that all
 * meet the same machine; the best round of each is kept. A warm-up second on each comes first.
 */
export async function pairedLoad(options: {
  targets: readonly [LoadTarget, LoadTarget, ...LoadTarget[]];
  path: string;
  method?: 'GET' | 'POST';
  body?: () => string;
  connections: number;
  seconds: number;
  rounds: number;
}): Promise<AlternatedFigures> {
  const run = (target: LoadTarget, seconds: number) =>
    httpLoad({
      url: `${target.url}${options.path}`,
      method: options.method,
      headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...target.headers },
      body: options.body,
      connections: options.connections,
      seconds,
    });
  for (const target of options.targets) await run(target, 1);
  const best: (PairedFigures | null)[] = options.targets.map(() => null);
  for (let round = 0; round < options.rounds; round++)
    for (const [i, target] of options.targets.entries()) {
      const meter = new CpuMeter([
        { name: 'bench (autocannon)', pid: 'self' },
        ...target.processes.map((p) => ({ name: p.name, pid: p.service.child.pid! })),
      ]).start();
      const result = await run(target, options.seconds);
      const cpu = meter.stop();
      if (result.failed > 0 && result.ok === 0)
        throw new Error(`${options.method ?? 'GET'} ${options.path} on ${target.name}: every request failed`);
      if (!best[i] || result.perSecond > best[i].result.perSecond) best[i] = { result, cpu };
    }
  // As many figures as targets, and at least two targets.
  return best.map((figures) => figures!) as unknown as AlternatedFigures;
}
