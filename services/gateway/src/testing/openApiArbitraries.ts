import fc from 'fast-check';
import { usersOpenApi } from '@eventfold/users-api';
import type { GatewayOperation } from '../operations/operations';

// Requests generated from the OpenAPI document: for each operation, parameters and bodies that are mostly valid
// by its schemas (so that the backends are reached), mixed with broken ones, wrong keys and unknown fields.

type Schema = Readonly<Record<string, unknown>>;
const components = usersOpenApi.components as unknown as {
  schemas: Record<string, Schema>;
  parameters: Record<string, { schema: Schema }>;
};

/** Printable ASCII: what an HTTP header value may hold (fetch refuses the rest). */
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });
/** Values some fields need to be useful, which their schemas cannot say (an email address is a string). */
const hints: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  email: fc.oneof({ arbitrary: fc.emailAddress(), weight: 4 }, { arbitrary: anyText, weight: 1 }),
  locale: fc.constantFrom('en', 'de-CH', 'fr', null, 'x'.repeat(17)),
};

function ofType(type: string, schema: Schema): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: (schema.minimum as number | undefined) ?? -1_000_000,
        max: (schema.maximum as number | undefined) ?? 1_000_000,
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'string': {
      // Before the pattern: a date-time's pattern alone would draw months and hours that do not exist.
      if (schema.format === 'date-time') {
        return fc
          .date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2100-01-01T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
      }
      if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
      const minLength = (schema.minLength as number | undefined) ?? 0;
      const maxLength = Math.max(minLength, Math.min((schema.maxLength as number | undefined) ?? 40, 120));
      return fc.string({ unit: 'grapheme', minLength, maxLength });
    }
    case 'array':
      return fc.array(valueOf((schema.items as Schema | undefined) ?? {}), { maxLength: 3 });
    case 'object': {
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      if (Object.keys(properties).length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }));
      const model = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, hints[name] ?? valueOf(property)]),
      );
      return fc.record(model, { requiredKeys: (schema.required as string[] | undefined) ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** Values valid by a schema of the document (following its $refs). */
export function valueOf(schema: Schema): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return valueOf(components.schemas[schema.$ref.split('/').pop()!]!);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : [typeof schema.type === 'string' ? schema.type : 'any'];
  return fc.oneof(...types.map((type) => ofType(type, schema)));
}

/** Who calls: mostly a key with every scope, sometimes one without the scope, a wrong key or none. */
export type Caller = 'everything' | 'reader' | 'writer' | 'admin' | 'none' | 'wrong';
const caller: fc.Arbitrary<Caller> = fc.oneof(
  { arbitrary: fc.constant('everything' as const), weight: 8 },
  fc.constantFrom<Caller>('reader', 'writer', 'admin', 'none', 'wrong'),
);

export interface GeneratedRequest {
  readonly caller: Caller;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Mutation =
  | { readonly kind: 'parameter'; readonly name: string; readonly value: string }
  | { readonly kind: 'unknown-query'; readonly name: string }
  | { readonly kind: 'body'; readonly body: unknown };

/**
 * Requests for one operation: valid by the document in about half the cases (so that the backend is reached and
 * answers), else with one thing broken: a parameter, an unknown query parameter, or the body (an unknown field,
 * any JSON, none at all). `knownUsers` are ids that exist, so that writes and reads can succeed.
 */
export function requestOf(
  operation: GatewayOperation,
  knownUsers: readonly string[],
): fc.Arbitrary<GeneratedRequest> {
  const valid: Record<string, fc.Arbitrary<string | undefined>> = {};
  const mutations: fc.Arbitrary<Mutation>[] = [];
  for (const parameter of operation.parameters) {
    const schema = components.parameters[parameter.component]!.schema;
    let value = valueOf(schema).map(String);
    if (parameter.component === 'UserId' && knownUsers.length > 0)
      value = fc.oneof({ arbitrary: fc.constantFrom(...knownUsers), weight: 3 }, value);
    if (parameter.in === 'header' && typeof schema.pattern !== 'string')
      value = fc.constantFrom('respond-async', 'allow-stale', 'return=minimal', 'respond-async, wait=1');
    valid[parameter.name] =
      parameter.in === 'path' || parameter.required ? value : fc.option(value, { nil: undefined, freq: 2 });
    // Not "." or "..": the client's URL parser would resolve them, and the request would address another path.
    const broken =
      parameter.in === 'header' ? headerText : anyText.filter((s) => s.length > 0 && s !== '.' && s !== '..');
    mutations.push(broken.map((v) => ({ kind: 'parameter' as const, name: parameter.name, value: v })));
  }
  mutations.push(
    fc.constantFrom('role', 'page', 'offset').map((name) => ({ kind: 'unknown-query' as const, name })),
  );
  let body: fc.Arbitrary<unknown> = fc.constant(undefined);
  // fetch sends no body with a GET (the integration tests send one raw).
  if (operation.method !== 'get' && operation.body) {
    const schema = { $ref: `#/components/schemas/${operation.body.schema}` };
    body = valueOf(schema);
    const bodies = fc.oneof(
      valueOf(schema).map((b) => ({ ...(b as object), isAdmin: true })),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant(undefined),
    );
    mutations.push(bodies.map((b) => ({ kind: 'body' as const, body: b })));
  } else if (operation.method !== 'get') {
    body = fc.constantFrom(undefined, {});
    const bodies = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 });
    mutations.push(bodies.map((b) => ({ kind: 'body' as const, body: b })));
  }
  const mutation = fc.option(fc.oneof(...mutations), { nil: undefined, freq: 2 });
  return fc.record({ caller, parameters: fc.record(valid), body, mutation }).map((r) => {
    const values: Record<string, string | undefined> = { ...r.parameters };
    let requestBody = r.body;
    if (r.mutation?.kind === 'parameter') values[r.mutation.name] = r.mutation.value;
    if (r.mutation?.kind === 'body') requestBody = r.mutation.body;
    let path = operation.pathTemplate;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    for (const parameter of operation.parameters) {
      const value = values[parameter.name];
      if (value === undefined) continue;
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
      else if (parameter.in === 'query') query.append(parameter.name, value);
      else headers[parameter.name] = value;
    }
    if (r.mutation?.kind === 'unknown-query') query.append(r.mutation.name, '1');
    const search = query.toString();
    return {
      caller: r.caller,
      method: operation.method.toUpperCase(),
      path: search ? `${path}?${search}` : path,
      headers,
      body: requestBody,
    };
  });
}
