import type { EventMetadata } from '@eventfold/core';
import { userEventTypes, type RecordedUserEvent, type UserEventType } from '@eventfold/users-domain';
import { userRecordName, USERS_NAMESPACE } from './topics';

/** The metadata fields every event record carries before its data fields. */
export const eventMetadataFields = Object.freeze([
  'eventId',
  'streamId',
  'version',
  'occurredAt',
  'correlationId',
  'causationId',
  'actor',
] as const satisfies readonly (keyof EventMetadata)[]);

export const userEventRecordNames: readonly string[] = userEventTypes.map(userRecordName);

/** An event as its Avro record: the metadata fields, then the data fields, flat. */
export function toUserEventRecord(event: RecordedUserEvent): {
  record: string;
  value: Record<string, unknown>;
} {
  return { record: userRecordName(event.type), value: { ...event.metadata, ...event.data } };
}

/** The event a decoded record holds. Throws when the record is not a users event. */
export function fromUserEventRecord(record: string, value: Record<string, unknown>): RecordedUserEvent {
  const type = record.startsWith(`${USERS_NAMESPACE}.`) ? record.slice(USERS_NAMESPACE.length + 1) : '';
  if (!(userEventTypes as readonly string[]).includes(type))
    throw new Error(`${record} is not a users event`);
  const metadata: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if ((eventMetadataFields as readonly string[]).includes(key)) metadata[key] = field;
    else data[key] = field;
  }
  return {
    type: type as UserEventType,
    data,
    metadata: metadata as unknown as EventMetadata,
  } as RecordedUserEvent;
}
