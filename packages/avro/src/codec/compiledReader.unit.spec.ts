import type avro from 'avsc';
import { loadSchemaCatalog } from '../catalog/schemaCatalog';
import { compiledReader } from './compiledReader';
import { encodeFramed, frame, HEADER_LENGTH } from './framing';

const catalog = loadSchemaCatalog();
const readVersion = (reader: avro.Type, writer: avro.Type) =>
  compiledReader(reader, writer, reader.createResolver(writer));

describe('reading a body with avsc’s compiled reader', () => {
  it('gives what a plain copy of fromBuffer gives, key order included, for every record and version pair', () => {
    let pairs = 0;
    for (const record of catalog.values())
      for (const writer of record.versions)
        for (const reader of record.versions.filter((v) => v.version >= writer.version)) {
          const read = readVersion(reader.type, writer.type);
          const resolver = reader.type.createResolver(writer.type);
          for (let i = 0; i < 5; i++) {
            const body = writer.type.toBuffer(writer.type.random());
            const expected = { ...(reader.type.fromBuffer(body, resolver, true) as object) };
            const value = read(frame(1, body), HEADER_LENGTH);
            expect(value).toStrictEqual(expected);
            expect(Object.keys(value)).toEqual(Object.keys(expected));
          }
          pairs++;
        }
    expect(pairs).toBeGreaterThan(catalog.size);
  });

  it('reads behind any offset and gives a plain object of its own', () => {
    const type = [...catalog.values()][0]!.current.type;
    const value = type.random();
    const read = readVersion(type, type);
    const decoded = read(encodeFramed(type, 9, value), HEADER_LENGTH);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toStrictEqual({ ...(value as object) });
  });

  it('refuses a body that ends early, as fromBuffer does', () => {
    const type = [...catalog.values()][0]!.current.type;
    const framed = encodeFramed(type, 1, type.random());
    const cut = framed.subarray(0, framed.length - 3);
    expect(() => type.fromBuffer(cut.subarray(HEADER_LENGTH), undefined, true)).toThrow('truncated');
    expect(() => readVersion(type, type)(cut, HEADER_LENGTH)).toThrow('truncated');
  });
});
