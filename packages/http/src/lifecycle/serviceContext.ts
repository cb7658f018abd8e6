import { createMetricsRegistry, type Logger, type Registry } from '@eventfold/observability';
import { startService, type ServiceDefinition, type ServiceDeps, type StartedService } from './startService';

/** What every start*Service begins with, beside its configuration. */
export interface ServiceContext<Metrics> {
  readonly logger: Logger;
  /** The service's own registry (labelled `service: <name>`, with the process metrics), served at /metrics. */
  readonly registry: Registry;
  /** The service's metrics, registered on `registry`. */
  readonly metrics: Metrics;
  /** {@link startService} with the service's deps and registry. */
  startService<Parts>(service: Omit<ServiceDefinition<Parts>, 'metrics'>): Promise<StartedService<Parts>>;
}

/**
 * The first line of a service's start: the deps' logger, the service's metrics (`metricsOn`, e.g. `commandMetrics`)
 * on a registry of its own named `name`, and the lifecycle bound to both.
 */
export function serviceContext<Metrics>(
  deps: ServiceDeps,
  name: string,
  metricsOn: (registry: Registry) => Metrics,
): ServiceContext<Metrics> {
  const registry = createMetricsRegistry(name);
  return {
    logger: deps.logger,
    registry,
    metrics: metricsOn(registry),
    startService: (service) => startService(deps, { ...service, metrics: registry }),
  };
}
