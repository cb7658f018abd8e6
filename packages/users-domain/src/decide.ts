import { assertNever, ConflictError, IllegalStateError, NotFoundError } from '@eventfold/core';
import type { UserCommand } from './commands';
import { UserErrorCode } from './errorCodes';
import type { UserEvent } from './events';
import { normaliseEmail } from './rules/email';
import { normaliseLocale } from './rules/locale';
import { normaliseName } from './rules/name';
import { normaliseReason, requireReason } from './rules/reason';
import { assertUserId } from './rules/userId';
import type { UserState } from './state';

type Registered = Exclude<UserState, { status: 'not-registered' }>;

function registered(state: UserState): Registered {
  if (state.status === 'not-registered')
    throw new NotFoundError(UserErrorCode.NotFound, 'User does not exist');
  return state;
}

/** A registered user that still has personal data: a forgotten user can never be given a name or address again. */
function notForgotten(state: UserState): Registered {
  const user = registered(state);
  if (user.forgotten)
    throw new IllegalStateError(UserErrorCode.Forgotten, 'User was forgotten: it holds no personal data');
  return user;
}

function active(state: UserState): Extract<UserState, { status: 'active' }> {
  const user = notForgotten(state);
  if (user.status === 'deactivated') {
    throw new IllegalStateError(
      UserErrorCode.Deactivated,
      'User is deactivated: reactivate it before changing it',
    );
  }
  return user;
}

/** Answers a command with the events it causes, or throws the rule it breaks. Pure. */
export function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      if (state.status !== 'not-registered') {
        throw new ConflictError(
          UserErrorCode.AlreadyRegistered,
          `User ${state.userId} is already registered`,
        );
      }
      const data = {
        userId: assertUserId(command.data.userId),
        name: normaliseName(command.data.name),
        email: normaliseEmail(command.data.email),
        locale: normaliseLocale(command.data.locale),
      };
      return [{ type: 'UserRegistered', data }];
    }
    case 'ImportUser': {
      // Imported once: the stream id follows from the legacy id, so a second import finds the user there.
      if (state.status !== 'not-registered') {
        throw new ConflictError(UserErrorCode.AlreadyRegistered, `User ${state.userId} is already present`);
      }
      const { source } = command.data;
      const userId = assertUserId(command.data.userId);
      const imported: UserEvent = {
        type: 'UserImported',
        data: {
          userId,
          name: normaliseName(command.data.name),
          email: normaliseEmail(command.data.email),
          sourceTable: source.table,
          legacyId: source.legacyId,
          sourceUpdatedAt: source.updatedAt,
        },
      };
      // A soft-deleted row: the user exists, deactivated, as a deactivated registered user would.
      return command.data.deactivated
        ? [
            imported,
            { type: 'UserDeactivated', data: { userId, reason: 'deactivated in the legacy system' } },
          ]
        : [imported];
    }
    case 'ChangeUserName':
    case 'CorrectUserName': {
      const newName = normaliseName(command.data.name);
      const reason =
        command.type === 'CorrectUserName'
          ? requireReason(command.data.reason)
          : normaliseReason(command.data.reason);
      const user = active(state);
      if (newName === user.name)
        throw new IllegalStateError(UserErrorCode.NameUnchanged, 'The name is already that value');
      const data = { userId: user.userId, oldName: user.name, newName };
      return command.type === 'CorrectUserName'
        ? [{ type: 'UserNameCorrected', data: { ...data, reason: reason! } }]
        : [{ type: 'UserNameChanged', data: { ...data, reason } }];
    }
    case 'ChangeUserEmail': {
      const newEmail = normaliseEmail(command.data.email);
      const user = active(state);
      if (newEmail === user.email)
        throw new IllegalStateError(UserErrorCode.EmailUnchanged, 'The email address is already that value');
      return [{ type: 'UserEmailChanged', data: { userId: user.userId, oldEmail: user.email, newEmail } }];
    }
    case 'DeactivateUser': {
      const reason = normaliseReason(command.data.reason);
      const user = registered(state);
      if (user.status === 'deactivated')
        throw new IllegalStateError(UserErrorCode.AlreadyDeactivated, 'User is already deactivated');
      return [{ type: 'UserDeactivated', data: { userId: user.userId, reason } }];
    }
    case 'ReactivateUser': {
      const user = registered(state);
      if (user.status === 'active')
        throw new IllegalStateError(UserErrorCode.AlreadyActive, 'User is already active');
      return [{ type: 'UserReactivated', data: { userId: user.userId } }];
    }
    case 'ForgetUser': {
      const reason = normaliseReason(command.data.reason);
      const user = registered(state);
      // Idempotent: forgetting again succeeds and writes nothing (the key is already gone).
      if (user.forgotten) return [];
      return [{ type: 'UserForgotten', data: { userId: user.userId, reason } }];
    }
    default:
      return assertNever(command, 'command');
  }
}
