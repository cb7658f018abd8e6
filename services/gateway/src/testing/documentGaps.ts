import type { GatewayOperation } from '../operations/operations';

/**
 * Statuses the gateway answers by itself that the OpenAPI document does not list yet for an operation: 429 (rate
 * limit), 502 (backend unreachable), 503 and 504 (backend unavailable or slow) on every operation, and 413 and
 * 415 (body too large, not JSON) on writes. They are reported as additions to the document; until it has them,
 * the contract checks accept them, as problem+json, and say which ones they met.
 */
export function statusesPendingInDocument(operation: GatewayOperation): number[] {
  const gatewayOwn = [429, 502, 503, 504, ...(operation.method === 'get' ? [] : [413, 415])];
  return gatewayOwn.filter((status) => !(String(status) in operation.responses));
}
