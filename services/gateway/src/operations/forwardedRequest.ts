import { ValidationError } from '@eventfold/core';
import { validateParameter, validateSchema } from '@eventfold/users-api';
import type { GatewayOperation } from './operations';

/** What the gateway reads of an incoming request (express's Request has this shape). */
export interface IncomingRequestView {
  readonly params: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  header(name: string): string | undefined;
}

/** A request checked against the document, rebuilt from what it documents and nothing else. */
export interface ForwardedRequest {
  /** Path and query string, each value re-encoded. */
  readonly path: string;
  /** The operation's documented header parameters that were sent, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, re-serialised from the parsed value, or undefined. */
  readonly body: string | undefined;
}

const shown = (name: string) => JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

function bodyOf(operation: GatewayOperation, body: unknown): string | undefined {
  if (!operation.body) {
    // `{}` is what many clients send with a bodiless POST: harmless, so dropped rather than refused.
    if (body === undefined || isEmptyObject(body)) return undefined;
    throw new ValidationError('UNKNOWN_FIELD', 'This operation takes no body');
  }
  if (body === undefined) {
    if (operation.body.required)
      throw new ValidationError('MISSING_BODY', 'This operation needs a JSON body');
    return undefined;
  }
  return JSON.stringify(validateSchema(operation.body.schema, body));
}

/**
 * Checks path, query and header parameters and the body against the operation in the document and builds the
 * request to forward. Unknown query parameters and repeated ones are refused; headers the operation does not
 * document are not forwarded. Throws a ValidationError (400) naming the first problem.
 */
export function forwardedRequestOf(
  operation: GatewayOperation,
  request: IncomingRequestView,
): ForwardedRequest {
  const documentedQuery = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of Object.keys(request.query)) {
    if (!documentedQuery.has(name))
      throw new ValidationError('UNKNOWN_PARAMETER', `Unknown query parameter ${shown(name)}`);
  }
  let path = operation.pathTemplate;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      const raw = request.params[parameter.name];
      const value = validateParameter(parameter.component, typeof raw === 'string' ? raw : undefined);
      if (value === undefined)
        throw new ValidationError('INVALID_PATH', `path ${parameter.name} is required`);
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
    } else if (parameter.in === 'query') {
      const raw = request.query[parameter.name];
      if (raw !== undefined && typeof raw !== 'string')
        throw new ValidationError(
          'INVALID_QUERY',
          `query ${parameter.name} must be given once, as a plain value`,
        );
      const value = validateParameter(parameter.component, raw);
      if (value === undefined && parameter.required)
        throw new ValidationError('INVALID_QUERY', `query ${parameter.name} is required`);
      if (value !== undefined) query.append(parameter.name, value);
    } else {
      const value = validateParameter(parameter.component, request.header(parameter.name));
      if (value === undefined && parameter.required)
        throw new ValidationError('INVALID_HEADER', `header ${parameter.name} is required`);
      if (value !== undefined) headers[parameter.name.toLowerCase()] = value;
    }
  }
  const search = query.toString();
  return { path: search ? `${path}?${search}` : path, headers, body: bodyOf(operation, request.body) };
}
