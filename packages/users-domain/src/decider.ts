import type { Decider } from '@eventfold/core';
import type { UserCommand } from './commands';
import { decide } from './decide';
import type { UserEvent } from './events';
import { evolve } from './evolve';
import { initialUserState, type UserState } from './state';

/** The users decider: everything the command service needs to know about users. */
export const userDecider: Decider<UserState, UserCommand, UserEvent> = Object.freeze({
  decide,
  evolve,
  initialState: initialUserState,
});
