import { collectDefaultMetrics, Registry } from 'prom-client';

/** A metrics registry per service (never the global one), with the process metrics of prom-client. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
