import { assertNever, ERASED } from '@eventfold/core';
import type { UserEvent } from './events';
import type { UserState } from './state';

/**
 * Folds one event into the state. Events are facts: evolve never rejects one, it only ignores what cannot apply
 * (an event for a user that was never registered leaves the state as it is).
 */
export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, name, email, locale } = event.data;
      return { status: 'active', userId, name, email, locale, forgotten: false };
    }
    case 'UserImported': {
      const { userId, name, email } = event.data;
      return { status: 'active', userId, name, email, locale: null, forgotten: false };
    }
    case 'UserNameChanged':
    case 'UserNameCorrected':
      return state.status === 'not-registered' ? state : { ...state, name: event.data.newName };
    case 'UserEmailChanged':
      return state.status === 'not-registered' ? state : { ...state, email: event.data.newEmail };
    case 'UserDeactivated':
      return state.status === 'not-registered' ? state : { ...state, status: 'deactivated' };
    case 'UserReactivated':
      return state.status === 'not-registered' ? state : { ...state, status: 'active' };
    case 'UserForgotten':
      return state.status === 'not-registered'
        ? state
        : { ...state, name: ERASED, email: ERASED, forgotten: true };
    default:
      return assertNever(event, 'event');
  }
}
