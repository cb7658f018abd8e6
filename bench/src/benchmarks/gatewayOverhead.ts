import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CpuMeter } from '../measure/cpuMeter';
import { httpLoad, type LoadResult } from '../measure/load';
import { ratio, type BenchmarkResult, type CpuFigure } from '../report/figures';
import { spawnGateway, spawnScript, stopService } from '../stack/services';
import { sized, type Benchmark } from './benchmark';

const CONNECTIONS = 10;

/** Gateway overhead: requests/s through the gateway to a trivial route (/healthz) ÷ bare node:http, same autocannon settings. */
export const gatewayOverhead: Benchmark = {
  name: 'gateway',
  title: 'Gateway overhead',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 5, 15);
    const rounds = sized(context, 1, 2);
    // Backends that do not exist: /healthz never reaches them.
    const gateway = await spawnGateway({
      commandUrl: 'http://127.0.0.1:9',
      queryUrl: 'http://127.0.0.1:9',
      apiKey: randomBytes(24).toString('base64url'),
    });
    const bare = await spawnScript(path.resolve(__dirname, '..', 'baselines', 'bareHttpServer.ts'));
    try {
      const best = { gateway: null as LoadResult | null, bare: null as LoadResult | null };
      const cpu: Record<string, CpuFigure[]> = {};
      for (const [, target] of [
        ['bare', bare],
        ['gateway', gateway],
      ] as const)
        await httpLoad({ url: `${target.url}/healthz`, connections: CONNECTIONS, seconds: 1 }); // warm-up
      for (let round = 0; round < rounds; round++) {
        for (const [name, target] of [
          ['bare', bare],
          ['gateway', gateway],
        ] as const) {
          const meter = new CpuMeter([
            { name: 'bench (autocannon)', pid: 'self' },
            { name, pid: target.child.pid! },
          ]).start();
          const result = await httpLoad({ url: `${target.url}/healthz`, connections: CONNECTIONS, seconds });
          const figures = meter.stop();
          if (!best[name] || result.perSecond > best[name].perSecond) {
            best[name] = result;
            cpu[name === 'bare' ? 'bare node:http' : 'gateway'] = figures;
          }
        }
      }
      context.say(
        `  gateway ${best.gateway!.perSecond.toFixed(0)} requests/s, bare node:http ${best.bare!.perSecond.toFixed(0)}`,
      );
      return {
        name: this.name,
        title: this.title,
        ratios: [
          ratio(
            'Gateway requests/s (GET /healthz)',
            { label: 'gateway', value: best.gateway!.perSecond, unit: 'requests/s' },
            { label: 'bare node:http', value: best.bare!.perSecond, unit: 'requests/s' },
            'higher',
          ),
        ],
        cpu,
        details: {
          connections: CONNECTIONS,
          seconds,
          rounds,
          gatewayP99Ms: best.gateway!.latencyP99Ms,
          bareP99Ms: best.bare!.latencyP99Ms,
        },
      };
    } finally {
      await Promise.allSettled([stopService(gateway), stopService(bare)]);
    }
  },
};
