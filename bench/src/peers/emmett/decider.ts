import {
  EmmettError,
  IllegalStateError,
  NotFoundError,
  type Command,
  type Decider,
  type DefaultCommandMetadata,
} from '@event-driven-io/emmett';
import {
  evolve,
  initialState,
  type User,
  type UserEvent,
  type UserNameChanged,
  type UserRegistered,
} from './user';

/** Registers a new user; its stream must not exist yet. Time comes in as `metadata.now`. */
export type RegisterUser = Command<
  'RegisterUser',
  { userId: string; name: string; email: string },
  DefaultCommandMetadata
>;

/** Renames a registered user. */
export type ChangeUserName = Command<
  'ChangeUserName',
  { userId: string; name: string },
  DefaultCommandMetadata
>;

export type UserCommand = RegisterUser | ChangeUserName;

export const register = ({ data, metadata }: RegisterUser, state: User): UserRegistered => {
  if (state.status !== 'Unregistered') throw new IllegalStateError('User already registered');
  return { type: 'UserRegistered', data: { ...data, registeredAt: metadata.now } };
};

export const changeName = ({ data, metadata }: ChangeUserName, state: User): UserNameChanged => {
  if (state.status === 'Unregistered') throw new NotFoundError({ id: data.userId, type: 'User' });
  return { type: 'UserNameChanged', data: { ...data, changedAt: metadata.now } };
};

export const decide = (command: UserCommand, state: User): UserEvent => {
  const { type } = command;
  switch (type) {
    case 'RegisterUser':
      return register(command, state);
    case 'ChangeUserName':
      return changeName(command, state);
    default: {
      const _unknown: never = type;
      throw new EmmettError('Unknown command type');
    }
  }
};

/** The users decider: what Emmett's `DeciderCommandHandler` and `DeciderSpecification` take. */
export const decider: Decider<User, UserCommand, UserEvent> = { decide, evolve, initialState };
