import { CpuMeter } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { measureProgress } from '../measure/progressRate';
import { ratio, type BenchmarkResult } from '../report/figures';
import { ShardedCount } from '../stack/readModelCount';
import { spawnBackend, stopService } from '../stack/services';
import { projectionLog, rawLoopRate } from '../fixtures/projectionLog';
import { sized, type Benchmark } from './benchmark';

/**
 * Projection rate: the projector, restarted in front of a backlog of renames of users it has already projected
 * (updates of existing documents, the steady-state work), in events/s, ÷ the raw loop.
 */
export const projectionRate: Benchmark = {
  name: 'projection',
  title: 'Projection rate',
  async run(context): Promise<BenchmarkResult> {
    const log = await projectionLog(context, sized(context, 300, 2000));
    const history = await ShardedCount.open(log.env.readDb, 'user_events');
    const projector = await spawnBackend('projector', log.env);
    try {
      const meter = new CpuMeter([
        { name: 'projector', pid: projector.child.pid! },
        { name: 'bench', pid: 'self' },
        ...infraProcesses(),
      ]).start();
      const progress = await measureProgress(() => history.count(), log.totalEvents, {
        timeoutMs: 600_000,
        description: 'the projector to project the renames',
      });
      const cpu = meter.stop();
      context.say(`  projector: ${progress.perSecond.toFixed(0)} events/s`);
      await stopService(projector);
      const raw = await rawLoopRate(context, log);
      return {
        name: this.name,
        title: this.title,
        ratios: [
          ratio(
            'Projection events/s',
            { label: 'projector, backlog of updates', value: progress.perSecond, unit: 'events/s' },
            { label: 'raw eachBatch + bulk upserts', value: raw.perSecond, unit: 'events/s' },
            'higher',
          ),
        ],
        cpu: { projector: cpu, 'raw loop': raw.cpu },
        details: { users: log.users, events: progress.items, seconds: progress.seconds },
      };
    } finally {
      await stopService(projector);
      await history.close();
    }
  },
};
