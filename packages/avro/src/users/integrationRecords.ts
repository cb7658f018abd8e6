import {
  integrationEventTypes,
  type IntegrationEvent,
  type IntegrationEventType,
} from '@eventfold/users-domain';
import { integrationRecordName } from './topics';

export const integrationRecordNames: readonly string[] = integrationEventTypes.map(integrationRecordName);

const typesByRecord: ReadonlyMap<string, IntegrationEventType> = new Map(
  integrationEventTypes.map((t) => [integrationRecordName(t), t]),
);

/** A public fact as its Avro record: the event id, then the fact's fields, flat. */
export function toIntegrationRecord(event: IntegrationEvent): {
  record: string;
  value: Record<string, unknown>;
} {
  return { record: integrationRecordName(event.type), value: { eventId: event.eventId, ...event.data } };
}

/** A public fact from its Avro record, as a consumer (or the translator restoring itself) reads it. */
export function fromIntegrationRecord(record: string, value: Record<string, unknown>): IntegrationEvent {
  const type = typesByRecord.get(record);
  if (!type) throw new Error(`${record} is not a record of ${integrationRecordName('')}`);
  const { eventId, ...data } = value;
  return { type, eventId, data } as IntegrationEvent;
}
