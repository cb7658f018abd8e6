import type avro from 'avsc';

/**
 * avsc's cursor over a buffer, and the compiled functions of its types that take one. avsc's typed surface has
 * `fromBuffer` and `encode`, which build a cursor per call and, for `fromBuffer`, want the body as a buffer of its
 * own (a `subarray` per record); the codec reads and writes behind the 5-byte frame header directly. avsc is
 * pinned (5.7.9), and the codec's specs compare every path with `fromBuffer` and `toBuffer`.
 */
export interface Tap {
  buf: Buffer;
  pos: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const avscUtils = require('avsc/lib/utils') as { Tap: new (buf: Buffer, pos?: number) => Tap };

export const newTap = (buf: Buffer, pos: number): Tap => new avscUtils.Tap(buf, pos);

/** A type's compiled reader and writer (generated per record type by avsc). */
interface Compiled {
  _read(tap: Tap): unknown;
  _write(tap: Tap, value: unknown): void;
}

/** A resolver's compiled reader; `lazy` skips the writer's trailing fields the reader does not have. */
interface CompiledResolver {
  _read(tap: Tap, lazy: boolean): unknown;
}

export const compiledRead = (type: avro.Type) => (tap: Tap) => (type as unknown as Compiled)._read(tap);

export const compiledResolve = (resolver: avro.Resolver) => (tap: Tap) =>
  (resolver as unknown as CompiledResolver)._read(tap, true);

/** `type.encode(value, tap.buf, tap.pos)` without a cursor of its own: the tap's position moves past the value. */
export const writeValue = (type: avro.Type, tap: Tap, value: unknown): void =>
  (type as unknown as Compiled)._write(tap, value);
