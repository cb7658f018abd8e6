import type avro from 'avsc';
import { compiledRead, compiledResolve, newTap } from './avscTap';

/** Reads an Avro body that starts at `offset` of `bytes` into a plain object; throws on a body it cannot read. */
export type BodyReader = (bytes: Buffer, offset: number) => Record<string, unknown>;

/**
 * A reader of bodies written with `writer`'s schema, as `reader`'s: avsc's compiled reader when they are the same
 * type (no resolution to do), its resolver's otherwise; then the record's fields copied into a plain object built
 * as one literal of the reader's fields, in their order. What `{ ...reader.fromBuffer(body, resolver, true) }`
 * gives, without the body's own buffer, the per-call cursor and the spread of avsc's record instance (which cost
 * as much as avsc's decoding, in the codec's profile).
 */
export function compiledReader(reader: avro.Type, writer: avro.Type, resolver: avro.Resolver): BodyReader {
  const read = reader === writer ? compiledRead(reader) : compiledResolve(resolver);
  const copy = plainCopier(reader);
  return (bytes, offset) => {
    const tap = newTap(bytes, offset);
    const value = read(tap);
    // avsc's readers do not throw when the body ends early: they leave the cursor past its end.
    if (tap.pos > bytes.length) throw new Error('truncated buffer');
    return copy(value);
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `(value) => ({ a: value.a, b: value.b, … })` for a record type's fields: V8 builds a literal of a fixed shape
 * several times faster than it spreads an object of another class. Avro names are identifiers (the spec's
 * `[A-Za-z_][A-Za-z0-9_]*`), checked again before they are written into the function's source (and `__proto__`,
 * which a literal would take for its prototype, keeps the spread).
 */
function plainCopier(type: avro.Type): (value: unknown) => Record<string, unknown> {
  const fields = (type as avro.types.RecordType).fields as readonly { name: string }[] | undefined;
  if (!fields || !fields.every((f) => NAME.test(f.name) && f.name !== '__proto__'))
    return (value) => ({ ...(value as Record<string, unknown>) });
  // Generated once per reader schema from checked names, as avsc generates its own readers and writers.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('v', `return { ${fields.map((f) => `${f.name}: v.${f.name}`).join(', ')} };`) as (
    value: unknown,
  ) => Record<string, unknown>;
}
