import { ratio, type BenchmarkResult, type Ratio } from '../report/figures';
import { ShardedCount } from '../stack/readModelCount';
import { spawnBackend, stopService } from '../stack/services';
import { projectionLog, rawLoopRate, timeProjector } from '../fixtures/projectionLog';
import { sized, type Benchmark } from './benchmark';

/**
 * Rebuild rate: a projector under a new group from offset 0 into empty collections (blue/green), in events/s, ÷ the
 * raw loop, and ÷ the sustained command rate (how much faster than the system writes a rebuild catches up).
 */
export const rebuildRate: Benchmark = {
  name: 'rebuild',
  title: 'Rebuild rate',
  async run(context): Promise<BenchmarkResult> {
    const log = await projectionLog(context, sized(context, 300, 2000));
    const database = `${log.env.readDb}_rebuild`;
    log.databases.push(database);
    const history = await ShardedCount.open(database, 'user_events');
    const projector = await spawnBackend('projector', log.env, {
      READ_DB: database,
      PROJECTOR_GROUP_ID: `${log.env.prefix}projector.rebuild`,
    });
    try {
      const { progress, cpu } = await timeProjector(context, log, projector, history, 'rebuild');
      const raw = await rawLoopRate(context, log);
      const rebuild = { label: 'projector from offset 0', value: progress.perSecond, unit: 'events/s' };
      const ratios: Ratio[] = [
        ratio(
          'Rebuild events/s',
          rebuild,
          { label: 'raw eachBatch + bulk upserts', value: raw.perSecond, unit: 'events/s' },
          'higher',
        ),
      ];
      const commands = (context.results.get('commands') ?? context.previous.get('commands'))?.ratios[0]
        ?.measured;
      if (commands)
        ratios.push(
          ratio(
            'Rebuild events/s ÷ sustained commands/s',
            rebuild,
            { ...commands, label: `${commands.label} (one event each)` },
            'higher',
          ),
        );
      return {
        name: this.name,
        title: this.title,
        ratios,
        cpu: { rebuild: cpu, 'raw loop': raw.cpu },
        details: { users: log.users, events: log.totalEvents, seconds: progress.seconds },
      };
    } finally {
      await stopService(projector);
      await history.close();
    }
  },
};
