import { randomHex } from '@eventfold/observability';

/**
 * The traceparent to send to a backend: the same trace id and flags, with the gateway's own span as the parent
 * (W3C Trace Context: `00-<trace id>-<parent id>-<flags>`). The incoming value is already checked by requestContext.
 */
export function childTraceparent(traceparent: string): string {
  const [version, traceId, , flags] = traceparent.split('-');
  return `${version}-${traceId}-${randomHex(8)}-${flags}`;
}
