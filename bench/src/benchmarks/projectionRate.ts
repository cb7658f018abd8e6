import { ratio, type BenchmarkResult } from '../report/figures';
import { ShardedCount } from '../stack/readModelCount';
import { spawnBackend, stopService } from '../stack/services';
import { projectionLog, rawLoopRate, timeProjector } from '../fixtures/projectionLog';
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
      const { progress, cpu } = await timeProjector(context, log, projector, history, 'projector');
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
