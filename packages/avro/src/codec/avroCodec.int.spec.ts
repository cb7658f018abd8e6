import type { EventMetadata } from '@eventfold/core';
import { randomName, testEndpoints } from '@eventfold/testing';
import type { RecordedUserEvent } from '@eventfold/users-domain';
import { loadSchemaCatalog } from '../catalog/schemaCatalog';
import { confluentSchemaRegistry } from '../registry/schemaRegistry';
import { userEventCodec } from '../users/userCodecs';
import { fromUserEventRecord, toUserEventRecord } from '../users/userEventRecords';
import { AvroCodec } from './avroCodec';
import { RecordDecodeError } from './errors';
import { frame } from './framing';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const metadata = (version: number): EventMetadata => ({
  eventId: `7c9e6679-7425-840d-a816-c2e6a8c7a1c${version}`,
  streamId: `user-${userId}`,
  version,
  occurredAt: Date.UTC(2026, 10, 26, 15, 0) + version,
  correlationId: 'corr-1',
  causationId: `cmd-${version}`,
  actor: 'key:admin',
});
const events: RecordedUserEvent[] = [
  {
    type: 'UserRegistered',
    data: { userId, name: 'Ada Lovelace', email: 'ada@example.com', locale: 'en-GB' },
    metadata: metadata(1),
  },
  {
    type: 'UserNameChanged',
    data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: null },
    metadata: metadata(2),
  },
  {
    type: 'UserNameCorrected',
    data: { userId, oldName: 'Ada King', newName: 'Ada King-Noel', reason: 'spelling' },
    metadata: metadata(3),
  },
  {
    type: 'UserEmailChanged',
    data: { userId, oldEmail: 'ada@example.com', newEmail: 'ada@example.org' },
    metadata: metadata(4),
  },
  { type: 'UserDeactivated', data: { userId, reason: 'left' }, metadata: metadata(5) },
  { type: 'UserReactivated', data: { userId }, metadata: metadata(6) },
  { type: 'UserForgotten', data: { userId, reason: 'erasure request' }, metadata: metadata(7) },
];

describe('Avro codec on the real schema registry', () => {
  const registry = confluentSchemaRegistry(testEndpoints().schemaRegistryUrl);
  const catalog = loadSchemaCatalog();
  const registered = catalog.get('eventfold.users.UserRegistered')!;
  const position = (offset: number) => ({ topic: 'users.events', partition: 7, offset: String(offset) });

  it('round-trips every event type in Confluent framing', async () => {
    const codec = await userEventCodec(registry, catalog, { topic: randomName('codec') });
    for (const event of events) {
      const { record, value } = toUserEventRecord(event);
      const bytes = codec.encode(record, value);
      expect(bytes[0]).toBe(0);
      expect(bytes.readInt32BE(1)).toBe(codec.schemaIdOf(record));
      const decoded = await codec.decode(bytes, position(1));
      expect(fromUserEventRecord(decoded.record, decoded.value)).toEqual(event);
      expect(decoded.writerVersion).toBe(catalog.get(record)!.current.version);
    }
  });

  it('registers idempotently: a second codec for the same topic gets the same schema ids', async () => {
    const topic = randomName('codec');
    const first = await userEventCodec(registry, catalog, { topic });
    const second = await userEventCodec(registry, catalog, { topic });
    expect(second.schemaIdOf(registered.fullName)).toBe(first.schemaIdOf(registered.fullName));
  });

  it('reads v1 UserRegistered in a v2 reader (locale defaults to null, email upcast), and v2 in a v1 reader', async () => {
    const topic = randomName('codec');
    const v2Reader = await userEventCodec(registry, catalog, { topic });
    const v1Reader = await userEventCodec(registry, catalog, {
      topic,
      readerVersions: { [registered.fullName]: 1 },
    });
    // What a v1 writer put on the wire: its own schema id, its own body (email as entered).
    const v1Id = await registry.register(
      `${topic}-${registered.fullName}`,
      JSON.stringify(registered.versions[0]!.json),
    );
    const v1Value = { ...metadata(1), userId, name: 'Ada', email: 'Ada@EXAMPLE.com' };
    const v1Bytes = frame(v1Id, registered.versions[0]!.type.toBuffer(v1Value));

    const upgraded = await v2Reader.decode(v1Bytes, position(1));
    expect(upgraded).toEqual({
      record: registered.fullName,
      writerVersion: 1,
      value: { ...v1Value, email: 'Ada@example.com', locale: null },
    });

    const v2Bytes = v2Reader.encode(registered.fullName, {
      ...metadata(1),
      userId,
      name: 'Ada',
      email: 'ada@example.com',
      locale: 'fr',
    });
    const downgraded = await v1Reader.decode(v2Bytes, position(2));
    expect(downgraded.value).toEqual({ ...metadata(1), userId, name: 'Ada', email: 'ada@example.com' });
    expect(downgraded.writerVersion).toBe(2);
  });

  it('rejects an incompatible version at registration (409 from the registry)', async () => {
    const topic = randomName('codec');
    await userEventCodec(registry, catalog, { topic });
    const broken = {
      ...registered.current.json,
      fields: registered.current.json.fields!.map((f) =>
        f.name === 'version' ? { ...f, type: 'string' } : f,
      ),
    };
    await expect(
      registry.register(`${topic}-${registered.fullName}`, JSON.stringify(broken)),
    ).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
    await expect(
      registry.checkCompatibility(`${topic}-${registered.fullName}`, JSON.stringify(broken)),
    ).resolves.toMatchObject({ compatible: false });
    await expect(
      registry.checkCompatibility(`${topic}-${registered.fullName}`, JSON.stringify(registered.current.json)),
    ).resolves.toMatchObject({ compatible: true });
  });

  describe('a record that cannot be decoded raises a typed error naming topic, partition and offset', () => {
    let codec: AvroCodec;
    beforeAll(async () => {
      codec = await userEventCodec(registry, catalog, { topic: randomName('codec') });
    });

    it.each([
      ['an unknown schema id', () => frame(2_000_000_000, Buffer.from([2, 4])), 'RECORD_UNKNOWN_SCHEMA_ID'],
      ['bytes that are not framed', () => Buffer.from('{"json":"instead"}'), 'RECORD_NOT_CONFLUENT_FRAMED'],
      ['a null value (a tombstone)', () => null, 'RECORD_NOT_CONFLUENT_FRAMED'],
      [
        'a truncated body',
        () => codec.encode(registered.fullName, toUserEventRecord(events[0]!).value).subarray(0, 20),
        'RECORD_CORRUPT',
      ],
    ])('%s', async (_what, bytes, code) => {
      const attempt = codec.decode(bytes(), position(42));
      await expect(attempt).rejects.toBeInstanceOf(RecordDecodeError);
      await expect(attempt).rejects.toMatchObject({ code, retriable: false, position: position(42) });
      await expect(attempt).rejects.toThrow('users.events[7]@42');
    });

    it('a record type the topic does not carry', async () => {
      const snapshotId = await registry.register(
        randomName('other'),
        JSON.stringify(catalog.get('eventfold.users.UserStreamSnapshot')!.current.json),
      );
      await expect(codec.decode(frame(snapshotId, Buffer.alloc(8)), position(43))).rejects.toMatchObject({
        code: 'RECORD_UNKNOWN_TYPE',
      });
    });
  });
});
