import { AvroCodec, type AvroCodecOptions } from '../codec/avroCodec';
import type { RecordSchemas } from '../catalog/schemaCatalog';
import type { SchemaRegistryPort } from '../registry/schemaRegistry';
import { INTEGRATION_TOPIC, userRecordName, UserTopics } from './topics';
import { integrationRecordNames } from './integrationRecords';
import { userUpcasters } from './upcasters';
import { streamEventRecordNames } from './userEventRecords';

function pick(catalog: ReadonlyMap<string, RecordSchemas>, names: readonly string[]): RecordSchemas[] {
  return names.map((name) => {
    const record = catalog.get(name);
    if (!record) throw new Error(`Schema ${name} is missing from the schema catalog`);
    return record;
  });
}

type Extra = Pick<AvroCodecOptions, 'readerVersions'> & { topic?: string };

/** The codec of users.events: every event record (users' and reservation streams'), with the users upcasters. */
export function userEventCodec(
  registry: SchemaRegistryPort,
  catalog: ReadonlyMap<string, RecordSchemas>,
  extra: Extra = {},
) {
  return AvroCodec.create({
    registry,
    topic: extra.topic ?? UserTopics.events,
    records: pick(catalog, streamEventRecordNames),
    upcasters: userUpcasters,
    readerVersions: extra.readerVersions,
  });
}

/** The codec of a topic that carries one record type (commands, snapshots, command results). */
export function singleRecordCodec(
  registry: SchemaRegistryPort,
  catalog: ReadonlyMap<string, RecordSchemas>,
  topic: string,
  name: string,
) {
  return AvroCodec.create({ registry, topic, records: pick(catalog, [userRecordName(name)]) });
}

/** The codec of the public users.integration.v1: its facts, under FULL_TRANSITIVE (decision 0017). */
export function integrationCodec(
  registry: SchemaRegistryPort,
  catalog: ReadonlyMap<string, RecordSchemas>,
  extra: Extra = {},
) {
  return AvroCodec.create({
    registry,
    topic: extra.topic ?? INTEGRATION_TOPIC,
    records: pick(catalog, integrationRecordNames),
    readerVersions: extra.readerVersions,
    compatibility: 'FULL_TRANSITIVE',
  });
}
