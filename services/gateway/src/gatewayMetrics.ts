import { Counter, Histogram, type Registry } from '@eventfold/observability';

/** The gateway's metrics. Routes are labelled by their template (`/v1/users/{id}`), never by the raw path. */
export function gatewayMetrics(registry: Registry) {
  return {
    requestsTotal: new Counter({
      name: 'eventfold_gateway_requests_total',
      help: 'Requests answered, by method, route template (or "unmatched") and status ("aborted": the client left)',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'eventfold_gateway_request_duration_seconds',
      help: 'Time from receiving a request to answering it, by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    backendSeconds: new Histogram({
      name: 'eventfold_gateway_backend_duration_seconds',
      help: 'Time a backend took to answer, by backend and outcome (its status, or unreachable, timeout, too-large)',
      labelNames: ['backend', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    refusalsTotal: new Counter({
      name: 'eventfold_gateway_refusals_total',
      help: 'Requests the gateway refused itself, by reason (missing-key, malformed-key, unknown-key, scope, rate-limit)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    contractViolationsTotal: new Counter({
      name: 'eventfold_gateway_contract_violations_total',
      help: 'Backend answers that broke the OpenAPI document, by operation and status',
      labelNames: ['operation', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
