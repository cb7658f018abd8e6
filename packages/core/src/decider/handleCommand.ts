import { PreconditionFailedError } from '../errors/errors';
import type { Command, DomainEvent, RecordedEvent } from '../message';
import type { Decider } from './decider';
import { eventIdFor } from './eventId';

/** A stream's folded state and the version of its last event (0 before the first). */
export interface StreamState<State> {
  readonly state: State;
  readonly version: number;
}

export interface Decision<State, E extends DomainEvent> {
  readonly events: readonly RecordedEvent<E>[];
  readonly next: StreamState<State>;
}

/**
 * The command path, pure: check the expected version, decide, give each event its place in the stream, evolve.
 * Writing the events is the caller's job; if it fails, nothing here has changed.
 */
export function handleCommand<State, C extends Command, E extends DomainEvent>(
  decider: Decider<State, C, E>,
  streamId: string,
  stream: StreamState<State>,
  command: C,
  expectedVersion?: number,
): Decision<State, E> {
  if (expectedVersion !== undefined && expectedVersion !== stream.version) {
    throw new PreconditionFailedError(
      'VERSION_MISMATCH',
      `Expected version ${expectedVersion} of ${streamId}, but it is at version ${stream.version}`,
      { details: { streamId, expectedVersion, actualVersion: stream.version } },
    );
  }
  const decided = decider.decide(command, stream.state);
  let state = stream.state;
  const events = decided.map((event, index): RecordedEvent<E> => {
    state = decider.evolve(state, event);
    const version = stream.version + index + 1;
    return {
      ...event,
      metadata: {
        eventId: eventIdFor(streamId, version),
        streamId,
        version,
        occurredAt: command.metadata.now,
        correlationId: command.metadata.correlationId,
        causationId: command.metadata.commandId,
        actor: command.metadata.actor,
      },
    };
  });
  return { events, next: { state, version: stream.version + events.length } };
}
