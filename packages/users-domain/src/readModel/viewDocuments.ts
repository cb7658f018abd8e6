import type { RecordedUserEvent } from '../events';
import type { UserView } from '../projections/userView';
import type { UserDocument, UserEventDocument } from './userDocuments';

export function viewOfDocument(doc: UserDocument | undefined): UserView {
  if (!doc) return { status: 'none', version: 0 };
  return {
    status: doc.status,
    id: doc.id,
    name: doc.name,
    email: doc.email,
    locale: doc.locale,
    version: doc.version,
    createdAt: doc.createdAt.getTime(),
    updatedAt: doc.updatedAt.getTime(),
  };
}

export function documentOfView(
  streamId: string,
  view: Exclude<UserView, { status: 'none' }>,
  lastEvent: UserDocument['lastEvent'],
): UserDocument {
  return {
    _id: streamId,
    id: view.id,
    name: view.name,
    nameKey: view.name.toLowerCase(),
    email: view.email,
    locale: view.locale,
    status: view.status,
    version: view.version,
    createdAt: new Date(view.createdAt),
    updatedAt: new Date(view.updatedAt),
    lastEvent,
  };
}

export function historyDocument(
  event: RecordedUserEvent,
  partition: number,
  offset: string,
  recordedAt: number,
): UserEventDocument {
  const { streamId, version, eventId, occurredAt, correlationId, causationId, actor } = event.metadata;
  return {
    _id: `${streamId}:${version}`,
    eventId,
    streamId,
    version,
    type: event.type,
    occurredAt: new Date(occurredAt),
    recordedAt: new Date(recordedAt),
    data: { ...event.data },
    metadata: { correlationId, causationId, actor },
    partition,
    offset,
  };
}

/** The recorded event a history document holds (time travel folds these). */
export function eventOfHistory(doc: UserEventDocument): RecordedUserEvent {
  return {
    type: doc.type,
    data: doc.data,
    metadata: {
      eventId: doc.eventId,
      streamId: doc.streamId,
      version: doc.version,
      occurredAt: doc.occurredAt.getTime(),
      correlationId: doc.metadata.correlationId,
      causationId: doc.metadata.causationId,
      actor: doc.metadata.actor,
    },
  } as RecordedUserEvent;
}
