import type { CommandMetadata, EventMetadata } from '@eventfold/core';
import type { UserCommand } from '../commands';
import type { RecordedUserEvent, UserEvent } from '../events';

export const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';

export const metadata: CommandMetadata = {
  commandId: 'cmd-1',
  now: Date.UTC(2026, 10, 26, 15, 0),
  actor: 'key:test',
  correlationId: 'corr-1',
  causationId: 'cmd-1',
};

/** A command of the given type, with fixed metadata: the domain needs no clock. */
export function command<T extends UserCommand['type']>(
  type: T,
  data: Extract<UserCommand, { type: T }>['data'],
): UserCommand {
  return { type, data, metadata } as UserCommand;
}

export const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId, name: 'Ada Lovelace', email: 'ada@example.com', locale: null },
};
export const deactivated: UserEvent = { type: 'UserDeactivated', data: { userId, reason: null } };
export const forgotten: UserEvent = { type: 'UserForgotten', data: { userId, reason: null } };

/** The metadata of the event at `version` of a stream (the user's by default), with a clock of 1 s per version. */
export const at = (version: number, streamId = `user-${userId}`): EventMetadata => ({
  eventId: `e${version}`,
  streamId,
  version,
  occurredAt: 1_000 * version,
  correlationId: 'c',
  causationId: 'k',
  actor: 'a',
});

/** The events as recorded one after the other in the user's stream, from version 1. */
export const recorded = (events: readonly UserEvent[]): RecordedUserEvent[] =>
  events.map((e, i) => ({ ...e, metadata: at(i + 1) }));
