import type { PositionedEvent } from '@eventfold/core';
import type { RecordedUserEvent } from '../events';
import { erasePersonalData } from './erasePersonalData';

/** The version of each stream's UserForgotten among `events` (the last, should there be two). */
export function forgetVersions(events: readonly PositionedEvent<RecordedUserEvent>[]): Map<string, number> {
  const forgets = new Map<string, number>();
  for (const { event } of events)
    if (event.type === 'UserForgotten') forgets.set(event.metadata.streamId, event.metadata.version);
  return forgets;
}

/**
 * The events with every one that comes before its stream's forget, in the same batch, erased
 * (`erasePersonalData`). A read model stores them this way, so that no version before a forget is ever stored, and
 * so never read, with the personal data it held. Pure; the events after a forget are left as they are.
 */
export function eraseBeforeForgets(
  events: readonly PositionedEvent<RecordedUserEvent>[],
  forgets: ReadonlyMap<string, number> = forgetVersions(events),
): PositionedEvent<RecordedUserEvent>[] {
  return events.map((positioned) => {
    const { streamId, version } = positioned.event.metadata;
    const forgottenAt = forgets.get(streamId);
    return forgottenAt !== undefined && version < forgottenAt
      ? { ...positioned, event: erasePersonalData(positioned.event) }
      : positioned;
  });
}
