import { Counter, Gauge, Histogram, type Registry } from '@eventfold/observability';

export function projectorMetrics(registry: Registry) {
  return {
    applied: new Counter({
      name: 'eventfold_projector_events_applied_total',
      help: 'Events applied to the read model',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'eventfold_projector_duplicates_skipped_total',
      help: 'Redelivered events skipped by the version guard',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'eventfold_projector_dead_lettered_total',
      help: 'Events sent to the dead-letter topic, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    lagMessages: new Gauge({
      name: 'eventfold_projector_lag_messages',
      help: 'Records behind the partition end',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    lagSeconds: new Gauge({
      name: 'eventfold_projector_lag_seconds',
      help: 'Age of the last record applied, per partition',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    shardWriteSeconds: new Histogram({
      name: 'eventfold_projector_shard_write_seconds',
      help: 'Time to write one batch into one shard',
      labelNames: ['shard'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
export type ProjectorMetrics = ReturnType<typeof projectorMetrics>;
