import {
  fromUserEventRecord,
  toUserEventRecord,
  type AvroCodec,
  type RecordPosition,
  type RecordSchemas,
} from '@eventfold/avro';
import {
  CachingKeyStore,
  EnvelopeKeyStore,
  generateMasterKey,
  InMemoryKeyRecords,
  parseMasterKey,
  PersonalDataCipher,
  PersonalDataCodec,
} from '@eventfold/crypto';
import type { RecordedUserEvent } from '@eventfold/users-domain';
import type { CodecSide } from '../report/codecRates';

/** One side's encode of an event and decode of what it wrote, ready to loop on. */
export interface CodecOps {
  encode(): unknown;
  decode(): unknown;
}

/**
 * Each side of the Avro benchmark for one event, inputs prepared: avsc's `toBuffer`/`fromBuffer` of the record
 * alone; the codec as the services call it (event ↔ record mapping, Confluent framing, schema ids, resolution and
 * upcasting), with personal-field encryption off and on (a cached key store, as the services run it); JSON.
 */
export async function codecSides(
  event: RecordedUserEvent,
  codec: AvroCodec,
  sealed: PersonalDataCodec,
  catalog: ReadonlyMap<string, RecordSchemas>,
  position: RecordPosition,
): Promise<Record<CodecSide, CodecOps>> {
  const { record, value } = toUserEventRecord(event);
  const type = catalog.get(record)!.current.type;
  const body = type.toBuffer(value);
  const bytes = codec.encode(record, value);
  const encrypted = (await sealed.encode(record, value)).bytes;
  const text = JSON.stringify(event);
  return {
    avsc: { encode: () => type.toBuffer(value), decode: (): unknown => type.fromBuffer(body) },
    codec: {
      encode: () => {
        const r = toUserEventRecord(event);
        return codec.encode(r.record, r.value);
      },
      decode: async () => {
        const d = await codec.decode(bytes, position);
        return fromUserEventRecord(d.record, d.value);
      },
    },
    'codec+encryption': {
      encode: () => {
        const r = toUserEventRecord(event);
        return sealed.encode(r.record, r.value);
      },
      decode: async () => {
        const d = await sealed.decode(encrypted, position);
        return fromUserEventRecord(d.record, d.value);
      },
    },
    json: { encode: () => JSON.stringify(event), decode: () => JSON.parse(text) as unknown },
  };
}

/** The codec with encryption at its boundary, as the command service builds it, over keys kept in memory. */
export async function sealedCodec(
  codec: AvroCodec,
  catalog: ReadonlyMap<string, RecordSchemas>,
): Promise<PersonalDataCodec> {
  const store = await EnvelopeKeyStore.open(new InMemoryKeyRecords(), parseMasterKey(generateMasterKey()));
  return new PersonalDataCodec(codec, new PersonalDataCipher({ catalog, keys: new CachingKeyStore(store) }));
}
