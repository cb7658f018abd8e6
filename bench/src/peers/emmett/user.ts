import type { Event } from '@event-driven-io/emmett';

// The users domain written the way Emmett's own samples write one (samples/webApi/expressjs-with-postgresql):
// events as Emmett `Event`s, state as a union on `status`, `evolve` and `initialState` beside them.

/** A user's first event: its stream did not exist before. */
export type UserRegistered = Event<
  'UserRegistered',
  { userId: string; name: string; email: string; registeredAt: Date }
>;

/** A new name for a registered user. */
export type UserNameChanged = Event<'UserNameChanged', { userId: string; name: string; changedAt: Date }>;

export type UserEvent = UserRegistered | UserNameChanged;

/** What a decision needs to know about a user. */
export type User = { status: 'Unregistered' } | { status: 'Registered'; name: string; email: string };

export const initialState = (): User => ({ status: 'Unregistered' });

export const evolve = (state: User, event: UserEvent): User => {
  const { type, data } = event;
  switch (type) {
    case 'UserRegistered':
      return { status: 'Registered', name: data.name, email: data.email };
    case 'UserNameChanged':
      return state.status === 'Registered' ? { ...state, name: data.name } : state;
    default: {
      const _unknown: never = type;
      return state;
    }
  }
};
