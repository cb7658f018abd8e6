import type { EventMetadata } from '@eventfold/core';
import { userEventTypes, type RecordedUserEvent, type UserEventType } from '@eventfold/users-domain';
import { userRecordName } from './topics';

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

const metadataFields: ReadonlySet<string> = new Set(eventMetadataFields);
// Record names by event type and back, built once: the per-event path looks names up instead of building and
// parsing strings (a string built per call is hashed anew by every Map it is looked up in).
const recordNames: ReadonlyMap<string, string> = new Map(userEventTypes.map((t) => [t, userRecordName(t)]));
const eventTypesByRecord: ReadonlyMap<string, UserEventType> = new Map(
  userEventTypes.map((t) => [userRecordName(t), t]),
);

/** An event as its Avro record: the metadata fields, then the data fields, flat. */
export function toUserEventRecord(event: RecordedUserEvent): {
  record: string;
  value: Record<string, unknown>;
} {
  // Object.assign, not `{ ...metadata, ...data }`: V8 (Node 20) builds a two-source spread 20× slower, and this
  // runs for every event written.
  return {
    record: recordNames.get(event.type) ?? userRecordName(event.type),
    value: Object.assign<Record<string, unknown>, EventMetadata, object>({}, event.metadata, event.data),
  };
}

/** The event a decoded record holds. Throws when the record is not a users event. */
export function fromUserEventRecord(record: string, value: Record<string, unknown>): RecordedUserEvent {
  const type = eventTypesByRecord.get(record);
  if (type === undefined) throw new Error(`${record} is not a users event`);
  const metadata: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (metadataFields.has(key)) metadata[key] = value[key];
    else data[key] = value[key];
  }
  return {
    type,
    data,
    metadata: metadata as unknown as EventMetadata,
  } as RecordedUserEvent;
}
