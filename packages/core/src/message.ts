/** A message as it travels: its type, its data, and metadata about how it came to be. */
export interface Message<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * Who asked, when, and as part of what. Time comes in here, from the edge: the domain never reads a clock.
 * `now` is epoch milliseconds.
 */
export interface CommandMetadata {
  readonly commandId: string;
  readonly now: number;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
}

export type Command<Type extends string = string, Data = unknown> = Message<Type, Data> & {
  readonly metadata: CommandMetadata;
};

/** What every recorded event carries besides its data (the wire schemas hold these fields on every event). */
export interface EventMetadata {
  readonly eventId: string;
  readonly streamId: string;
  /** Position of the event in its stream: contiguous from 1. */
  readonly version: number;
  /** Epoch milliseconds, the `now` of the command that caused it. */
  readonly occurredAt: number;
  readonly correlationId: string;
  /** The command id that caused the event. */
  readonly causationId: string;
  readonly actor: string;
}

/** An event as decided by the domain: what happened, without where it was recorded. */
export type DomainEvent<Type extends string = string, Data = unknown> = Message<Type, Data>;

/** An event once it has a place in its stream. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & { readonly metadata: EventMetadata };
