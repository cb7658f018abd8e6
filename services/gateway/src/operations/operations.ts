import { usersOpenApi, type ParameterName, type SchemaName } from '@eventfold/users-api';
import { isScope, type Scope } from '../auth/scopes';
import {
  componentName,
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type OperationObject,
} from './openApiTypes';

/** The service an operation is forwarded to. */
export type Backend = 'command' | 'query';

export interface OperationParameter {
  /** The component under #/components/parameters, which `validateParameter` checks against. */
  readonly component: ParameterName;
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
}

/** Per documented status: per content type, the component schema of the body (null: no schema to check). */
export type DocumentedResponses = Readonly<Record<string, Readonly<Record<string, SchemaName | null>>>>;

/** One operation of the public API, as the gateway serves it. */
export interface GatewayOperation {
  readonly id: string;
  readonly method: HttpMethod;
  /** As in the document: `/v1/users/{id}`; also the route label of the metrics. */
  readonly pathTemplate: string;
  /** As express routes it: `/v1/users/:id`. */
  readonly expressPath: string;
  readonly parameters: readonly OperationParameter[];
  readonly body: { readonly schema: SchemaName; readonly required: boolean } | null;
  readonly responses: DocumentedResponses;
  readonly backend: Backend;
  /** The key needs one of these. */
  readonly scopes: readonly Scope[];
}

/**
 * Writes go to the command service, and so does the status of a command (it keeps the results); other reads go
 * to the query service.
 */
export function backendOf(method: HttpMethod, pathTemplate: string): Backend {
  return method === 'get' && !pathTemplate.startsWith('/v1/commands/') ? 'query' : 'command';
}

/**
 * The operation's own `security: [{ bearer: [scopes] }]` when the document states scopes; else by rule: forgetting
 * personal data needs admin, reads need users:read, writes users:write. A command's status is the tail of a write
 * (Prefer: respond-async answers 202 with its Location), so users:write may read it too.
 */
export function scopesOf(method: HttpMethod, pathTemplate: string, operation: OperationObject): Scope[] {
  const stated = (operation.security ?? []).flatMap((requirement) => requirement.bearer ?? []);
  if (stated.length > 0) {
    const unknown = stated.filter((s) => !isScope(s));
    if (unknown.length > 0)
      throw new Error(`${operation.operationId} names unknown scopes: ${unknown.join(', ')}`);
    return stated as Scope[];
  }
  if (method === 'delete' && pathTemplate.endsWith('/personal-data')) return ['admin'];
  if (method === 'get')
    return pathTemplate.startsWith('/v1/commands/') ? ['users:read', 'users:write'] : ['users:read'];
  return ['users:write'];
}

function parametersOf(document: OpenApiDocument, operation: OperationObject): OperationParameter[] {
  return (operation.parameters ?? []).map((reference) => {
    const component = componentName(reference, 'parameters');
    const parameter = component ? document.components.parameters[component] : undefined;
    if (!component || !parameter) {
      throw new Error(
        `${operation.operationId}: every parameter must be a $ref to #/components/parameters (the gateway validates through them)`,
      );
    }
    if (parameter.in === 'cookie')
      throw new Error(`${operation.operationId}: cookie parameters are not supported`);
    return {
      component: component as ParameterName,
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true,
    };
  });
}

function bodyOf(operation: OperationObject): GatewayOperation['body'] {
  if (!operation.requestBody) return null;
  const schema = componentName(operation.requestBody.content['application/json']?.schema, 'schemas');
  if (!schema) {
    throw new Error(
      `${operation.operationId}: the request body must be application/json with a component schema`,
    );
  }
  return { schema: schema as SchemaName, required: operation.requestBody.required === true };
}

function responsesOf(operation: OperationObject): DocumentedResponses {
  return Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => [
      status,
      Object.fromEntries(
        Object.entries(response.content ?? {}).map(([type, media]) => [
          type,
          componentName(media.schema, 'schemas') as SchemaName | null,
        ]),
      ),
    ]),
  );
}

/** Every operation of the document, in its order; throws at start-up on what the gateway cannot serve. */
export function gatewayOperations(
  document: OpenApiDocument = usersOpenApi as OpenApiDocument,
): GatewayOperation[] {
  const operations: GatewayOperation[] = [];
  for (const [pathTemplate, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operations.push({
        id: operation.operationId,
        method,
        pathTemplate,
        expressPath: pathTemplate.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1'),
        parameters: parametersOf(document, operation),
        body: bodyOf(operation),
        responses: responsesOf(operation),
        backend: backendOf(method, pathTemplate),
        scopes: scopesOf(method, pathTemplate, operation),
      });
    }
  }
  return operations;
}
