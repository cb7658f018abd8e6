// Confluent wire framing: magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro body.
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  framed.writeUInt8(MAGIC_BYTE, 0);
  framed.writeInt32BE(schemaId, 1);
  body.copy(framed, HEADER_LENGTH);
  return framed;
}

/** The schema id and body of a framed record, or null when the bytes are not Confluent-framed. */
export function unframe(bytes: Buffer): { schemaId: number; body: Buffer } | null {
  if (bytes.length < HEADER_LENGTH || bytes.readUInt8(0) !== MAGIC_BYTE) return null;
  return { schemaId: bytes.readInt32BE(1), body: bytes.subarray(HEADER_LENGTH) };
}
