import type avro from 'avsc';
import { newTap, writeValue } from './avscTap';

// Confluent wire framing: magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro body.
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  writeHeader(framed, schemaId);
  body.copy(framed, HEADER_LENGTH);
  return framed;
}

/** The schema id and body of a framed record, or null when the bytes are not Confluent-framed. */
export function unframe(bytes: Buffer): { schemaId: number; body: Buffer } | null {
  const schemaId = framedSchemaId(bytes);
  return schemaId === null ? null : { schemaId, body: bytes.subarray(HEADER_LENGTH) };
}

/** The schema id of a framed record without taking it apart, or null when the bytes are not Confluent-framed. */
export function framedSchemaId(bytes: Buffer): number | null {
  return bytes.length < HEADER_LENGTH || bytes[0] !== MAGIC_BYTE ? null : bytes.readInt32BE(1);
}

// Where records are written before their exact size is known: avsc's own toBuffer writes into a scratch buffer
// too, then copies into a zero-filled one; writing the header in front of the body here saves that second buffer
// and copy. Grows to the largest record seen. Encoding is synchronous, so one buffer and one cursor per process
// are enough (avsc's `encode` would build a cursor per call).
const tap = newTap(Buffer.allocUnsafe(1024), 0);

/** `frame(schemaId, type.toBuffer(value))` in one buffer and one copy; throws what `toBuffer` throws. */
export function encodeFramed(type: avro.Type, schemaId: number, value: unknown): Buffer {
  tap.pos = HEADER_LENGTH;
  writeValue(type, tap, value);
  if (tap.pos > tap.buf.length) {
    // avsc's writers do not throw on a full buffer: they leave the cursor where the record would end.
    tap.buf = Buffer.allocUnsafe(2 * tap.pos);
    tap.pos = HEADER_LENGTH;
    writeValue(type, tap, value);
  }
  const framed = Buffer.allocUnsafe(tap.pos);
  tap.buf.copy(framed, 0, 0, tap.pos);
  writeHeader(framed, schemaId);
  return framed;
}

function writeHeader(bytes: Buffer, schemaId: number): void {
  bytes[0] = MAGIC_BYTE;
  bytes.writeInt32BE(schemaId, 1);
}
