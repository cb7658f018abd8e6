import type { EventMetadata } from '@eventfold/core';
import {
  translateEvent,
  unknownUser,
  type PublicUser,
  type RecordedUserEvent,
  type UserEvent,
} from '@eventfold/users-domain';
import { loadSchemaCatalog } from '../catalog/schemaCatalog';
import { fromIntegrationRecord, integrationRecordNames, toIntegrationRecord } from './integrationRecords';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const at = (version: number): EventMetadata => ({
  eventId: `6f1c2b9e-0000-4000-8000-00000000000${version}`,
  streamId: `user-${userId}`,
  version,
  occurredAt: 1_000 * version,
  correlationId: 'c',
  causationId: 'k',
  actor: 'a',
});
const life: RecordedUserEvent[] = (
  [
    { type: 'UserRegistered', data: { userId, name: 'Ada', email: 'ada@example.com', locale: null } },
    { type: 'UserNameChanged', data: { userId, oldName: 'Ada', newName: 'Ada L', reason: null } },
    { type: 'UserDeactivated', data: { userId, reason: null } },
    { type: 'UserReactivated', data: { userId } },
    { type: 'UserForgotten', data: { userId, reason: null } },
  ] satisfies UserEvent[]
).map((e, i) => ({ ...e, metadata: at(i + 1) }));

describe('integration records', () => {
  const catalog = loadSchemaCatalog();

  it('has a schema for every public fact', () => {
    for (const name of integrationRecordNames) expect(catalog.get(name)).toBeDefined();
  });

  it('encodes every fact the translation makes with its schema, and reads it back as it was', () => {
    let user: PublicUser = unknownUser;
    let facts = 0;
    for (const event of life) {
      const t = translateEvent(user, event);
      user = t.user;
      if (!t.published) continue;
      facts++;
      const { record, value } = toIntegrationRecord(t.published);
      const type = catalog.get(record)!.current.type;
      expect(type.isValid(value, { errorHook: (path) => console.error(record, path.join('.')) })).toBe(true);
      const read = type.fromBuffer(type.toBuffer(value)) as Record<string, unknown>;
      expect(fromIntegrationRecord(record, { ...read })).toEqual(t.published);
    }
    expect(facts).toBe(5);
  });
});
