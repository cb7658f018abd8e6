import { ERASED, type EventMetadata } from '@eventfold/core';
import {
  erasePersonalData,
  type RecordedUserEvent,
  type UserEventData,
  type UserEventType,
} from '@eventfold/users-domain';
import { loadSchemaCatalog, type AvroField } from '../catalog/schemaCatalog';
import { topicOfUserRecord, UserTopics } from './topics';
import {
  eventMetadataFields,
  fromUserEventRecord,
  toUserEventRecord,
  streamEventRecordNames,
  userEventRecordNames,
} from './userEventRecords';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const metadata: EventMetadata = {
  eventId: '7c9e6679-7425-840d-a816-c2e6a8c7a1c3',
  streamId: `user-${userId}`,
  version: 3,
  occurredAt: Date.UTC(2026, 10, 26, 15, 0),
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  actor: 'key:admin',
};

// One example per event type, every field set: the compiler demands an entry for each type and each required
// field, so a field added to the TypeScript types shows up here, and the test below fails until the schema has it.
const examples: { [T in UserEventType]: Required<UserEventData[T]> } = {
  UserRegistered: { userId, name: 'Ada Lovelace', email: 'ada@example.com', locale: 'en-GB' },
  UserImported: {
    userId,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    sourceTable: 'users',
    legacyId: '42',
    sourceUpdatedAt: Date.UTC(2025, 0, 2),
  },
  UserNameChanged: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: 'marriage' },
  UserNameCorrected: { userId, oldName: 'Ada King', newName: 'Ada King-Noel', reason: 'spelling' },
  UserEmailChanged: { userId, oldEmail: 'ada@example.com', newEmail: 'ada@example.org' },
  UserDeactivated: { userId, reason: 'left' },
  UserReactivated: { userId },
  UserForgotten: { userId, reason: 'erasure request' },
};

const catalog = loadSchemaCatalog();
const events = Object.entries(examples).map(
  ([type, data]) => ({ type, data, metadata }) as RecordedUserEvent,
);

describe('users event records and their Avro schemas', () => {
  it('have a schema for every event type, and no schema without an event type', () => {
    const eventSchemas = [...catalog.keys()].filter(
      (name) =>
        topicOfUserRecord(name) === UserTopics.events &&
        catalog.get(name)!.current.json.fields?.some((f) => f.name === 'eventId'),
    );
    expect(eventSchemas.sort()).toEqual([...streamEventRecordNames].sort());
  });

  it.each(events.map((e) => [e.type, e]))(
    '%s: the schema holds exactly the metadata and data fields of the type',
    (_type, event) => {
      const { record, value } = toUserEventRecord(event);
      const schema = catalog.get(record)!.current;
      const schemaFields = (schema.json.fields ?? []).map((f: AvroField) => f.name);
      expect(schemaFields.sort()).toEqual([...eventMetadataFields, ...Object.keys(event.data)].sort());
      expect(schema.type.isValid(value)).toBe(true);
    },
  );

  it.each(events.map((e) => [e.type, e]))('%s: survives an Avro round trip unchanged', (_type, event) => {
    const { record, value } = toUserEventRecord(event);
    const type = catalog.get(record)!.current.type;
    expect(fromUserEventRecord(record, type.fromBuffer(type.toBuffer(value)))).toEqual(event);
  });

  it.each(events.map((e) => [e.type, e]))(
    "%s: the domain's erasure replaces exactly the fields the schema marks personal",
    (_type, event) => {
      const { record, value } = toUserEventRecord(erasePersonalData(event));
      const erased = Object.keys(value).filter((key) => value[key] === ERASED);
      expect(erased.sort()).toEqual([...catalog.get(record)!.personalFields].sort());
    },
  );

  it('splits a record whose keys are in another order, or lack a metadata field, keeping their order', () => {
    const shuffled = { userId, actor: 'key:admin', eventId: 'e-1', version: 2, reason: 'left' };
    const event = fromUserEventRecord('eventfold.users.UserDeactivated', shuffled);
    expect(Object.keys(event.metadata)).toEqual(['actor', 'eventId', 'version']);
    expect(Object.keys(event.data)).toEqual(['userId', 'reason']);
    expect(event).toStrictEqual({
      type: 'UserDeactivated',
      data: { userId, reason: 'left' },
      metadata: { actor: 'key:admin', eventId: 'e-1', version: 2 },
    });
  });

  it.each(events.map((e) => [e.type, e]))(
    '%s: a decoded record splits into metadata and data in schema order',
    (_type, event) => {
      const { record, value } = toUserEventRecord(event);
      const type = catalog.get(record)!.current.type;
      const split = fromUserEventRecord(record, { ...(type.fromBuffer(type.toBuffer(value)) as object) });
      expect(JSON.stringify(split.metadata)).toBe(JSON.stringify(metadata));
      expect(Object.keys(split.data)).toEqual(Object.keys(event.data));
    },
  );

  it('refuses a record that is not a users event', () => {
    expect(() => fromUserEventRecord('eventfold.users.UserStreamSnapshot', {})).toThrow(
      'eventfold.users.UserStreamSnapshot is not a users event',
    );
  });

  it('marks names and email addresses as personal data, and nothing else', () => {
    const personal = [...catalog.values()]
      .filter((r) => userEventRecordNames.includes(r.fullName))
      .flatMap((r) => r.personalFields.map((f) => `${r.fullName}.${f}`));
    expect(personal.sort()).toEqual(
      [
        'UserEmailChanged.newEmail',
        'UserEmailChanged.oldEmail',
        'UserImported.email',
        'UserImported.name',
        'UserNameChanged.newName',
        'UserNameChanged.oldName',
        'UserNameCorrected.newName',
        'UserNameCorrected.oldName',
        'UserRegistered.email',
        'UserRegistered.name',
      ].map((f) => `eventfold.users.${f}`),
    );
  });
});
