import { validateSchema } from '@eventfold/users-api';
import { gatewayOperations, type GatewayOperation } from '../operations/operations';
import { contractViolation, mediaTypeOf } from '../operations/responseContract';
import { statusesPendingInDocument } from './documentGaps';

const operations = gatewayOperations();
const matchers = operations.map((operation) => ({
  operation,
  path: new RegExp(`^${operation.pathTemplate.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The documented operation a request addresses, if any. */
export function operationFor(method: string, url: string): GatewayOperation | undefined {
  const path = url.split('?')[0]!;
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  return matchers.find((x) => x.operation.method === m && x.path.test(path))?.operation;
}

/** One request to the gateway and its answer, as a test saw it. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

export interface DocumentCheck {
  readonly operation: string | undefined;
  readonly violation: string | null;
  /** The status is one the gateway answers but the document does not list yet (see documentGaps). */
  readonly pending: boolean;
}

/** Checks an exchange against usersOpenApi: status documented for its operation, content type and body schema. */
export function checkAgainstDocument(exchange: Exchange): DocumentCheck {
  const operation = operationFor(exchange.method, exchange.path);
  if (!operation) return { operation: undefined, violation: null, pending: false };
  if (statusesPendingInDocument(operation).includes(exchange.status)) {
    let violation: string | null = null;
    if (mediaTypeOf(exchange.contentType) !== 'application/problem+json')
      violation = `${operation.id} ${exchange.status} is not problem+json`;
    else {
      try {
        validateSchema('Problem', exchange.body);
      } catch (error) {
        violation = `${operation.id} ${exchange.status} is not a Problem: ${(error as Error).message}`;
      }
    }
    return { operation: operation.id, violation, pending: true };
  }
  return { operation: operation.id, violation: contractViolation(operation, exchange), pending: false };
}
