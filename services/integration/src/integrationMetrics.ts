import { Counter, type Registry } from '@eventfold/observability';

/** The integration translator's metrics. */
export function integrationMetrics(registry: Registry) {
  return {
    published: new Counter({
      name: 'eventfold_integration_facts_total',
      help: 'Facts published to users.integration.v1',
      registers: [registry],
    }),
    undecodable: new Counter({
      name: 'eventfold_integration_undecodable_total',
      help: 'Records of users.events skipped because they cannot be decoded',
      registers: [registry],
    }),
  };
}
