import type avro from 'avsc';
import { CryptoErrorCode, PersonalDataError } from '../errors';

/**
 * Where a record's personal strings are, compiled from the `"pii": true` field marks of its Avro schema. The tree
 * keeps only the branches that lead to a personal field, so walking a value touches nothing else.
 */
export type PersonalFieldNode =
  | { readonly kind: 'string' }
  | { readonly kind: 'record'; readonly fields: readonly { name: string; node: PersonalFieldNode }[] }
  | { readonly kind: 'array'; readonly items: PersonalFieldNode }
  | { readonly kind: 'map'; readonly values: PersonalFieldNode }
  | {
      readonly kind: 'union';
      /** As avsc decodes it: wrapped (`{ "<branch name>": value }`) when its branches are ambiguous, else plain. */
      readonly wrapped: boolean;
      readonly branches: readonly {
        branchName: string;
        bucket: 'object' | 'array';
        node: PersonalFieldNode;
      }[];
    };

// The parts of avsc's types that the walk reads (its typings are incomplete).
interface AvscType {
  readonly typeName: string;
  readonly name?: string;
  readonly branchName?: string;
  readonly fields?: readonly { readonly name: string; readonly type: AvscType }[];
  readonly types?: readonly AvscType[];
  readonly itemsType?: AvscType;
  readonly valuesType?: AvscType;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const LEAF: PersonalFieldNode = Object.freeze({ kind: 'string' });

/**
 * Compiles the personal fields of a record schema: `json` is the schema as written (custom attributes kept),
 * `type` the same schema parsed by avsc (names resolved, union wrapping decided). Null when it has none. Throws a
 * {@link PersonalDataError} when a field marked `"pii"` is not a string or a nullable string: only those can hold
 * a ciphertext without changing the schema.
 */
export function compilePersonalFields(json: unknown, type: avro.Type): PersonalFieldNode | null {
  const walk = new Walk();
  return walk.type(json, type, '');
}

class Walk {
  private readonly definitions = new Map<string, Json>();
  private readonly compiled = new Map<string, PersonalFieldNode | null>();
  private readonly entered = new Set<string>();

  type(json: unknown, type: AvscType, path: string): PersonalFieldNode | null {
    switch (type.typeName) {
      case 'record':
      case 'error':
        return this.record(json, type, path);
      case 'array': {
        const items = this.type(isObject(json) ? json.items : undefined, type.itemsType!, `${path}[]`);
        return items && { kind: 'array', items };
      }
      case 'map': {
        const values = this.type(isObject(json) ? json.values : undefined, type.valuesType!, `${path}{}`);
        return values && { kind: 'map', values };
      }
      case 'union:wrapped':
      case 'union:unwrapped': {
        const branches = type.types!.flatMap((branch, i) => {
          const branchJson = Array.isArray(json) ? (json[i] as unknown) : undefined;
          const node = this.type(branchJson, branch, `${path}[${branch.branchName}]`);
          return node ? [{ branchName: branch.branchName!, bucket: bucketOf(branch), node }] : [];
        });
        return branches.length > 0
          ? { kind: 'union', wrapped: type.typeName === 'union:wrapped', branches }
          : null;
      }
      default:
        return null;
    }
  }

  private record(json: unknown, type: AvscType, path: string): PersonalFieldNode | null {
    const name = type.name!;
    // A definition is written once, where the name first appears; later uses refer to it by name.
    if (isObject(json) && Array.isArray(json.fields)) this.definitions.set(name, json);
    if (this.compiled.has(name)) return this.compiled.get(name)!;
    const definition = this.definitions.get(name);
    if (!definition) throw unsupported(`${path || name} refers to ${name}, whose definition was not found`);
    if (this.entered.has(name))
      throw unsupported(`${name} is recursive, which the personal data walk does not support`);
    this.entered.add(name);
    const jsonFields = definition.fields as Json[];
    const fields = type.fields!.flatMap((field, i) => {
      const jsonField = jsonFields[i];
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      if (jsonField?.name !== field.name) throw unsupported(`${name} fields do not match their definition`);
      if (jsonField.pii === true) {
        if (!isPersonalString(field.type))
          throw unsupported(
            `${name}.${field.name} is marked "pii" but is not a string or a nullable string: only those can hold a ciphertext without a schema change`,
          );
        return [{ name: field.name, node: LEAF }];
      }
      const node = this.type(jsonField.type, field.type, fieldPath);
      return node ? [{ name: field.name, node }] : [];
    });
    this.entered.delete(name);
    const node: PersonalFieldNode | null = fields.length > 0 ? { kind: 'record', fields } : null;
    this.compiled.set(name, node);
    return node;
  }
}

const unsupported = (message: string) => new PersonalDataError(CryptoErrorCode.SchemaUnsupported, message);

function isPersonalString(type: AvscType): boolean {
  if (type.typeName === 'string') return true;
  if (!type.typeName.startsWith('union')) return false;
  const names = type.types!.map((t) => t.typeName);
  return names.includes('string') && names.every((n) => n === 'string' || n === 'null');
}

// How an unwrapped union tells its branches apart: by the JavaScript kind of the value.
const bucketOf = (type: AvscType): 'object' | 'array' => (type.typeName === 'array' ? 'array' : 'object');

/**
 * The paths of the personal strings under `node`: `name`, `payload[eventfold.users.RegisterUserPayload].email`
 * (a union branch), `tags[]` (array items), `labels{}` (map values). The same paths are bound into each ciphertext.
 */
export function personalFieldPaths(node: PersonalFieldNode | null, path = ''): string[] {
  if (node === null) return [];
  const at = (segment: string) => (path ? `${path}.${segment}` : segment);
  switch (node.kind) {
    case 'string':
      return [path];
    case 'record':
      return node.fields.flatMap((f) => personalFieldPaths(f.node, at(f.name)));
    case 'array':
      return personalFieldPaths(node.items, `${path}[]`);
    case 'map':
      return personalFieldPaths(node.values, `${path}{}`);
    case 'union':
      return node.branches.flatMap((b) => personalFieldPaths(b.node, `${path}[${b.branchName}]`));
  }
}

/**
 * A copy of `value` with every personal string replaced by `replace(string, path)`; objects without one are
 * shared, not copied. Nulls stay null. Works on values as avsc decodes and encodes them.
 */
export function mapPersonalStrings(
  node: PersonalFieldNode,
  value: unknown,
  replace: (value: string, path: string) => string,
  path = '',
): unknown {
  switch (node.kind) {
    case 'string':
      if (typeof value === 'string') return replace(value, path);
      // A nullable string in a wrapped union (wrapUnions 'always'): { string: "…" }.
      if (isObject(value) && typeof value.string === 'string') return { string: replace(value.string, path) };
      return value;
    case 'record': {
      if (!isObject(value)) return value;
      let copy: Json | null = null;
      for (const field of node.fields) {
        const before = value[field.name];
        if (before === undefined || before === null) continue;
        const after = mapPersonalStrings(
          field.node,
          before,
          replace,
          path ? `${path}.${field.name}` : field.name,
        );
        if (after !== before) (copy ??= { ...value })[field.name] = after;
      }
      return copy ?? value;
    }
    case 'array':
      return Array.isArray(value)
        ? value.map((item) => mapPersonalStrings(node.items, item, replace, `${path}[]`))
        : value;
    case 'map':
      return isObject(value)
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              mapPersonalStrings(node.values, v, replace, `${path}{}`),
            ]),
          )
        : value;
    case 'union': {
      if (value === null || typeof value !== 'object') return value;
      if (node.wrapped) {
        const [branchName] = Object.keys(value);
        const branch = node.branches.find((b) => b.branchName === branchName);
        if (!branch) return value;
        const inner = (value as Json)[branchName!];
        const after = mapPersonalStrings(branch.node, inner, replace, `${path}[${branchName}]`);
        return after === inner ? value : { [branchName!]: after };
      }
      const branch = node.branches.find((b) => b.bucket === (Array.isArray(value) ? 'array' : 'object'));
      return branch
        ? mapPersonalStrings(branch.node, value, replace, `${path}[${branch.branchName}]`)
        : value;
    }
  }
}
