import { loadSchemaCatalog, parseAvro } from '../catalog/schemaCatalog';
import { encodeFramed, frame, framedSchemaId, unframe } from './framing';

const type = parseAvro({
  type: 'record',
  name: 'T',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'n', type: 'long' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
});

describe('Confluent framing', () => {
  it('encodes in one buffer exactly what framing avsc’s own buffer gives', () => {
    const value = { id: 'ünïcode ✓ 𝄞', n: 42, note: null };
    expect(encodeFramed(type, 7, value)).toEqual(frame(7, type.toBuffer(value)));
    expect(unframe(encodeFramed(type, 7, value))).toEqual({ schemaId: 7, body: type.toBuffer(value) });
  });

  it('grows its scratch buffer for a record larger than any before, and keeps working after', () => {
    const big = { id: 'x'.repeat(100_000), n: -1, note: 'y'.repeat(5_000) };
    expect(encodeFramed(type, 1, big)).toEqual(frame(1, type.toBuffer(big)));
    const small = { id: 'a', n: 1, note: 'b' };
    expect(encodeFramed(type, 2, small)).toEqual(frame(2, type.toBuffer(small)));
  });

  it('refuses a value its schema does not describe, as toBuffer does', () => {
    const wrong = { id: 3, n: 1, note: null };
    expect(() => type.toBuffer(wrong)).toThrow();
    expect(() => encodeFramed(type, 1, wrong)).toThrow();
  });

  it('reads the schema id of framed bytes only', () => {
    expect(framedSchemaId(frame(123_456, Buffer.from([1])))).toBe(123_456);
    expect(framedSchemaId(Buffer.from([1, 0, 0, 0, 1]))).toBeNull();
    expect(framedSchemaId(Buffer.from([0, 0, 0]))).toBeNull();
  });
});

describe('encoding every record of the catalog', () => {
  it('frames exactly what toBuffer writes, random values of every version', () => {
    for (const record of loadSchemaCatalog().values())
      for (const version of record.versions)
        for (let i = 0; i < 5; i++) {
          const value = version.type.random();
          expect(encodeFramed(version.type, 42, value)).toEqual(frame(42, version.type.toBuffer(value)));
        }
  });
});
