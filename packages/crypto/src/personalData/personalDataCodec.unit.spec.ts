import { randomUUID } from 'node:crypto';
import {
  loadSchemaCatalog,
  RecordDecodeError,
  RecordDecodeErrorCode,
  userEventCodec,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import { EnvelopeKeyStore } from '../dataKeys/envelopeKeyStore';
import { InMemoryKeyRecords } from '../dataKeys/inMemoryKeyRecords';
import { generateMasterKey, parseMasterKey } from '../masterKey/masterKey';
import { PersonalDataCipher } from './personalDataCipher';
import { PersonalDataCodec } from './personalDataCodec';
import { CachingKeyStore } from '../dataKeys/cachingKeyStore';
import { ERASED, PII_KEY_ID_HEADER } from './wireFormat';

/** A schema registry in memory: ids by schema text, as a Confluent registry gives them. */
function memoryRegistry(): SchemaRegistryPort {
  const ids = new Map<string, number>();
  return {
    register: async (_subject, schema) => {
      if (!ids.has(schema)) ids.set(schema, ids.size + 1);
      return ids.get(schema)!;
    },
    setCompatibility: async () => undefined,
    schemaById: async (id) => [...ids].find(([, known]) => known === id)?.[0] ?? null,
    checkCompatibility: async () => ({ compatible: true, messages: [] }),
  };
}

const catalog = loadSchemaCatalog();
const position = { topic: 'users.events', partition: 0, offset: '0' };
const REGISTERED = 'eventfold.users.UserRegistered';

async function subject() {
  const keys = await EnvelopeKeyStore.open(new InMemoryKeyRecords(), parseMasterKey(generateMasterKey()));
  const avro = await userEventCodec(memoryRegistry(), catalog);
  const codec = new PersonalDataCodec(avro, new PersonalDataCipher({ catalog, keys }));
  const userId = randomUUID();
  const streamId = `user-${userId}`;
  const value = {
    eventId: randomUUID(),
    streamId,
    version: 1,
    occurredAt: Date.UTC(2026, 10, 26),
    correlationId: 'c',
    causationId: 'c',
    actor: 'test',
    userId,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    locale: null,
  };
  return { keys, avro, codec, streamId, value };
}

describe('PersonalDataCodec', () => {
  it('writes no plaintext, names the key, and reads the plaintext back', async () => {
    const { codec, value, streamId } = await subject();
    const { bytes, keyId } = await codec.encode(REGISTERED, value);
    expect(keyId).toMatch(new RegExp(`^${streamId}#`));
    expect(bytes.toString('latin1')).not.toContain('Ada Lovelace');
    expect(bytes.toString('latin1')).not.toContain('ada@example.com');
    const decoded = await codec.decode(bytes, position);
    expect(decoded).toMatchObject({ record: REGISTERED, value, erased: false, erasedFields: [] });
  });

  it('fetches the keys a batch names in its pii-key-id headers in one call, then decodes it without lookups', async () => {
    const { codec, keys, value } = await subject();
    const people = [value, { ...value, streamId: `user-${randomUUID()}` }];
    const batch = await Promise.all(
      people.map(async (v) => {
        const { bytes, keyId } = await codec.encode(REGISTERED, v);
        return { value: bytes, headers: { [PII_KEY_ID_HEADER]: Buffer.from(keyId!) } };
      }),
    );
    const calls: string[] = []; // what reaches the key store behind the cache
    const store = new Proxy(keys, {
      get: (target, name: keyof typeof keys) =>
        typeof target[name] === 'function'
          ? (...args: unknown[]) => {
              calls.push(String(name));
              return (target[name] as (...a: unknown[]) => unknown).apply(target, args);
            }
          : target[name],
    });
    const reader = new PersonalDataCodec(
      codec.codec,
      new PersonalDataCipher({ catalog, keys: new CachingKeyStore(store) }),
    );
    await reader.prefetchKeys([...batch, { value: null, headers: {} }]);
    expect(calls).toEqual(['getMany']);
    const decoded = await Promise.all(batch.map((r) => reader.decode(r.value, position)));
    expect(decoded.map((d) => d.value)).toEqual(people);
    expect(calls).toEqual(['getMany']);
  });

  it('reads a forgotten person as erased, every other field intact', async () => {
    const { codec, keys, value, streamId } = await subject();
    const { bytes } = await codec.encode(REGISTERED, value);
    await keys.forget(streamId);
    const decoded = await codec.decode(bytes, position);
    expect(decoded.value).toEqual({ ...value, name: ERASED, email: ERASED });
    expect(decoded.erased).toBe(true);
  });

  it('fails a tampered record, or plaintext where ciphertext belongs, as a record that cannot be decoded', async () => {
    const { codec, avro, value } = await subject();
    const { bytes } = await codec.encode(REGISTERED, value);
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 10]! ^= 1;
    const plaintext = avro.encode(REGISTERED, value);
    for (const bad of [tampered, plaintext]) {
      const error = await codec.decode(bad, position).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecordDecodeError);
      expect((error as RecordDecodeError).code).toBe(RecordDecodeErrorCode.PersonalData);
      expect((error as Error).message).not.toContain('Ada');
    }
  });
});
