import type { DomainEvent, Message } from '../message';

/**
 * The pure core of an aggregate. `decide` answers a command with the events it causes (or throws a typed
 * {@link EventfoldError}); `evolve` folds an event into the state. No I/O, no clock, no randomness: everything a
 * decision needs is in the command and the state.
 */
export interface Decider<State, C extends Message, E extends DomainEvent> {
  decide(command: C, state: State): readonly E[];
  evolve(state: State, event: E): State;
  initialState(): State;
}

/** Folds events into a state, from the initial state unless one is given. */
export function fold<State, E extends DomainEvent>(
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
  events: Iterable<E>,
  from: State = decider.initialState(),
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
