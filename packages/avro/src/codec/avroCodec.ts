import type avro from 'avsc';
import { parseAvro, type RecordSchemas } from '../catalog/schemaCatalog';
import type { CompatibilityLevel } from '../compatibility/compatibilityLevel';
import { registerRecord } from '../registry/registerRecord';
import type { SchemaRegistryPort } from '../registry/schemaRegistry';
import { topicRecordSubject } from '../registry/subjects';
import { RecordDecodeError, RecordDecodeErrorCode, type RecordPosition } from './errors';
import { compiledReader, type BodyReader } from './compiledReader';
import { encodeFramed, framedSchemaId, HEADER_LENGTH } from './framing';
import { upcastersBetween, type Upcaster } from './upcaster';

export interface Decoded {
  readonly record: string;
  readonly value: Record<string, unknown>;
  /** The version of our schemas the writer used, or null for a schema we do not know (written by someone newer). */
  readonly writerVersion: number | null;
}

export interface AvroCodecOptions {
  readonly registry: SchemaRegistryPort;
  readonly topic: string;
  /** The records this topic carries, from the schema catalog. */
  readonly records: readonly RecordSchemas[];
  readonly upcasters?: readonly Upcaster[];
  /** Decode as this version of a record instead of the current one (an older reader). */
  readonly readerVersions?: Readonly<Record<string, number>>;
  /** The rule of the topic's subjects; BACKWARD_TRANSITIVE unless told. */
  readonly compatibility?: CompatibilityLevel;
}

interface Writer {
  readonly record: string;
  readonly version: number | null;
  /** The schema the id names: what wrote the body. */
  readonly type: avro.Type;
  readonly resolver: avro.Resolver;
  readonly readerVersion: number;
  readonly reader: avro.Type;
  /** Reads a body of this schema as the reader's schema, into a plain object: built once, when the id is first met. */
  readonly read: BodyReader;
  /** What turns a decoded value into the reader's meaning, in order: chosen once, when the id is first met. */
  readonly upcasters: readonly Upcaster[];
}

/** What `encode` needs of a record, looked up once per record. */
interface Encoder {
  readonly type: avro.Type;
  readonly schemaId: number;
}

/**
 * Encodes and decodes the records of one topic in Confluent framing. At creation it registers every version of
 * each record, oldest first, under its TopicRecordNameStrategy subject with the topic's compatibility rule
 * ({@link registerRecord}: idempotent, and safe when services start together). Decoding reads with this process's own schema version, resolving from the writer's schema
 * (Avro resolution), then applies upcasters for changes of meaning.
 */
export class AvroCodec {
  private readonly writers = new Map<number, Writer>();
  private readonly encoders = new Map<string, Encoder>();

  private constructor(
    private readonly options: AvroCodecOptions,
    private readonly byName: ReadonlyMap<string, RecordSchemas>,
  ) {}

  static async create(options: AvroCodecOptions): Promise<AvroCodec> {
    const codec = new AvroCodec(options, new Map(options.records.map((r) => [r.fullName, r])));
    for (const record of options.records) {
      const subject = topicRecordSubject(options.topic, record.fullName);
      const ids = await registerRecord(options.registry, subject, record, options.compatibility);
      record.versions.forEach((version, i) => codec.remember(ids[i]!, record, version.version, version.type));
      codec.encoders.set(record.fullName, { type: record.current.type, schemaId: ids.at(-1)! });
    }
    return codec;
  }

  /**
   * A codec that only reads: it registers nothing and learns every schema id from the registry as records name
   * them (`eventfold schemas check` looks at a log this way, leaving the registry as it found it).
   */
  static reader(options: AvroCodecOptions): AvroCodec {
    return new AvroCodec(options, new Map(options.records.map((r) => [r.fullName, r])));
  }

  /** The current schema's id for a record: what `encode` writes. */
  schemaIdOf(record: string): number {
    return this.encoderOf(record).schemaId;
  }

  encode(record: string, value: Record<string, unknown>): Buffer {
    const { type, schemaId } = this.encoderOf(record);
    return encodeFramed(type, schemaId, value);
  }

  private encoderOf(record: string): Encoder {
    const encoder = this.encoders.get(record);
    if (encoder === undefined)
      throw new Error(`${record} has no schema id for topic ${this.options.topic} in this codec`);
    return encoder;
  }

  /** Decodes a record, or throws a {@link RecordDecodeError} naming where it was read from. Never guesses. */
  async decode(bytes: Buffer | null, position: RecordPosition): Promise<Decoded> {
    const schemaId = bytes === null ? null : framedSchemaId(bytes);
    if (schemaId === null) throw notFramed(position);
    // Known ids (all but the first record of each) are decoded without waiting on anything.
    const writer = this.writers.get(schemaId) ?? (await this.learn(schemaId, position));
    let value: Record<string, unknown>;
    try {
      value = writer.read(bytes!, HEADER_LENGTH);
    } catch (error) {
      throw new RecordDecodeError(
        RecordDecodeErrorCode.Corrupt,
        `the body does not match schema ${schemaId}: ${(error as Error).message}`,
        position,
        { cause: error },
      );
    }
    if (writer.version === null) return { record: writer.record, value, writerVersion: null };
    // The reader copied the record into a plain object: upcasters and consumers get an object of their own.
    let upcasted = value;
    for (const upcaster of writer.upcasters) upcasted = upcaster.upcast(upcasted);
    return { record: writer.record, value: upcasted, writerVersion: writer.version };
  }

  /**
   * Checks a record's framing strictly, without decoding it for use: its schema id must name a record this topic
   * carries, and that schema must read the body to its last byte (`decode` stops at the fields it needs). Throws
   * the {@link RecordDecodeError} `decode` would, or `RECORD_CORRUPT` when the schema does not fit the body: how a
   * registry that hands out its ids anew is told apart from one that still knows them (issue 25).
   */
  async verify(bytes: Buffer | null, position: RecordPosition): Promise<void> {
    const { framed, writer } = await this.writerOf(bytes, position);
    let end = -1; // avsc's answer for a body that ends early; a body it cannot read at all is the same to us
    try {
      end = writer.type.decode(framed.body, 0).offset;
    } catch {
      // keeps -1
    }
    if (end !== framed.body.length)
      throw new RecordDecodeError(
        RecordDecodeErrorCode.Corrupt,
        `schema ${framed.schemaId} (${writer.record}) does not read the body: ${
          end < 0 ? 'it ends early' : `${framed.body.length - end} bytes are left over`
        }`,
        position,
      );
  }

  private async writerOf(bytes: Buffer | null, position: RecordPosition) {
    const schemaId = bytes === null ? null : framedSchemaId(bytes);
    if (schemaId === null) throw notFramed(position);
    const writer = this.writers.get(schemaId) ?? (await this.learn(schemaId, position));
    return { framed: { schemaId, body: bytes!.subarray(HEADER_LENGTH) }, writer };
  }

  private remember(id: number, record: RecordSchemas, version: number | null, writerType: avro.Type): Writer {
    const readerVersion = this.options.readerVersions?.[record.fullName] ?? record.current.version;
    const reader = record.versions[readerVersion - 1]!.type;
    const resolver = reader.createResolver(writerType);
    const writer: Writer = {
      record: record.fullName,
      version,
      type: writerType,
      readerVersion,
      reader,
      resolver,
      read: compiledReader(reader, writerType, resolver),
      upcasters:
        version === null
          ? []
          : upcastersBetween(this.options.upcasters ?? [], record.fullName, version, readerVersion),
    };
    this.writers.set(id, writer);
    return writer;
  }

  private async learn(schemaId: number, position: RecordPosition): Promise<Writer> {
    const schema = await this.options.registry.schemaById(schemaId);
    if (schema === null)
      throw new RecordDecodeError(
        RecordDecodeErrorCode.UnknownSchemaId,
        `schema id ${schemaId} is unknown to the registry`,
        position,
      );
    const writerType = parseAvro(JSON.parse(schema));
    const name = (writerType as avro.types.RecordType).name ?? '';
    const record = this.byName.get(name);
    if (!record)
      throw new RecordDecodeError(
        RecordDecodeErrorCode.UnknownRecordType,
        `record type ${name || '(unnamed)'} is not one this topic carries`,
        position,
      );
    const fingerprint = writerType.fingerprint('sha256').toString('hex');
    const version = record.versions.find((v) => v.fingerprint === fingerprint)?.version ?? null;
    try {
      return this.remember(schemaId, record, version, writerType);
    } catch (error) {
      throw new RecordDecodeError(
        RecordDecodeErrorCode.Incompatible,
        `schema ${schemaId} cannot be read as ${name}: ${(error as Error).message}`,
        position,
        { cause: error },
      );
    }
  }
}

const notFramed = (position: RecordPosition) =>
  new RecordDecodeError(
    RecordDecodeErrorCode.NotFramed,
    'not Confluent-framed Avro (magic byte 0 and schema id)',
    position,
  );
