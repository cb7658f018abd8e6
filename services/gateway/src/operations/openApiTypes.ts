// The part of OpenAPI 3.1 the gateway reads. The document itself is `usersOpenApi` (a deeply literal `as const`
// value); it is read through these looser types so that the gateway works for operations added later.

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export const HTTP_METHODS: readonly HttpMethod[] = Object.freeze(['get', 'put', 'post', 'delete', 'patch']);

export interface Reference {
  readonly $ref: string;
}

export interface MediaTypeObject {
  readonly schema?: Reference | Readonly<Record<string, unknown>>;
}

export interface ResponseObject {
  readonly description?: string;
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface OperationObject {
  readonly operationId: string;
  readonly parameters?: readonly (Reference | Readonly<Record<string, unknown>>)[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content: Readonly<Record<string, MediaTypeObject>>;
  };
  readonly responses: Readonly<Record<string, ResponseObject>>;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}

export interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema: Readonly<Record<string, unknown>>;
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Partial<Record<HttpMethod, OperationObject>>>>;
  readonly components: {
    readonly parameters: Readonly<Record<string, ParameterObject>>;
    readonly schemas: Readonly<Record<string, unknown>>;
  };
}

/** The component name a local `$ref` points to (`#/components/schemas/User` → `User`), or null. */
export function componentName(value: unknown, kind: 'schemas' | 'parameters'): string | null {
  const ref = (value as Partial<Reference> | undefined)?.$ref;
  const prefix = `#/components/${kind}/`;
  return typeof ref === 'string' && ref.startsWith(prefix) ? ref.slice(prefix.length) : null;
}
