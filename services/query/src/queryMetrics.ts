import { Counter, type Registry } from '@eventfold/observability';

/** The query service's own metrics, beside the HTTP ones its app records. */
export function queryMetrics(registry: Registry) {
  return {
    consistencyOutcomes: new Counter({
      name: 'eventfold_query_consistency_waits_total',
      help: 'Reads that carried a consistency token, by outcome (reached, stale, timeout, unreachable)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}
