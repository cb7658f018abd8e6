import {
  ConflictError,
  deciderSpec,
  IllegalStateError,
  NotFoundError,
  ValidationError,
} from '@eventfold/core';
import { userDecider } from './decider';
import { UserErrorCode } from './errorCodes';
import { command, deactivated, forgotten, registered, userId } from './testing/fixtures';

const spec = deciderSpec(userDecider);

describe('RegisterUser', () => {
  it('registers a new user with a normalised name and email', () => {
    spec
      .given([])
      .when(
        command('RegisterUser', {
          userId,
          name: '  Ada Lovelace ',
          email: ' Ada@Example.COM ',
          locale: 'en_gb',
        }),
      )
      .then([
        {
          type: 'UserRegistered',
          data: { userId, name: 'Ada Lovelace', email: 'Ada@example.com', locale: 'en-GB' },
        },
      ]);
  });

  it('rejects registering twice', () => {
    spec
      .given([registered])
      .when(command('RegisterUser', { userId, name: 'Ada', email: 'ada@example.com', locale: null }))
      .thenThrows(ConflictError, UserErrorCode.AlreadyRegistered);
  });

  it.each([
    ['an empty name', { name: '   ' }, UserErrorCode.InvalidName],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, UserErrorCode.InvalidName],
    ['a name with a control character', { name: 'Ada\u0007' }, UserErrorCode.InvalidName],
    ['an invalid email', { email: 'ada@' }, UserErrorCode.InvalidEmail],
    ['an invalid locale', { locale: 'english' }, UserErrorCode.InvalidLocale],
    ['an invalid user id', { userId: 'not-a-uuid' }, UserErrorCode.InvalidUserId],
  ])('rejects %s', (_what, override, code) => {
    spec
      .given([])
      .when(
        command('RegisterUser', { userId, name: 'Ada', email: 'ada@example.com', locale: null, ...override }),
      )
      .thenThrows(ValidationError, code);
  });
});

describe('ChangeUserName', () => {
  it('records old and new name and the reason', () => {
    spec
      .given([registered])
      .when(command('ChangeUserName', { name: 'Ada King', reason: 'marriage' }))
      .then([
        {
          type: 'UserNameChanged',
          data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: 'marriage' },
        },
      ]);
  });

  it('keeps an absent or blank reason as null', () => {
    spec
      .given([registered])
      .when(command('ChangeUserName', { name: 'Ada King', reason: '  ' }))
      .then([
        {
          type: 'UserNameChanged',
          data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: null },
        },
      ]);
  });

  it('rejects the same name (a no-op)', () => {
    spec
      .given([registered])
      .when(command('ChangeUserName', { name: ' Ada Lovelace ', reason: null }))
      .thenThrows(IllegalStateError, UserErrorCode.NameUnchanged);
  });

  it('rejects an invalid name', () => {
    spec
      .given([registered])
      .when(command('ChangeUserName', { name: '', reason: null }))
      .thenThrows(ValidationError, UserErrorCode.InvalidName);
  });

  it('rejects an unknown user', () => {
    spec
      .given([])
      .when(command('ChangeUserName', { name: 'Ada', reason: null }))
      .thenThrows(NotFoundError, UserErrorCode.NotFound);
  });

  it('rejects a deactivated user', () => {
    spec
      .given([registered, deactivated])
      .when(command('ChangeUserName', { name: 'Ada King', reason: null }))
      .thenThrows(IllegalStateError, UserErrorCode.Deactivated);
  });
});

describe('CorrectUserName', () => {
  it('records a correction, distinct from a change', () => {
    spec
      .given([registered])
      .when(command('CorrectUserName', { name: 'Ada Lovelace-King', reason: 'typo at registration' }))
      .then([
        {
          type: 'UserNameCorrected',
          data: {
            userId,
            oldName: 'Ada Lovelace',
            newName: 'Ada Lovelace-King',
            reason: 'typo at registration',
          },
        },
      ]);
  });

  it('requires a reason', () => {
    spec
      .given([registered])
      .when(command('CorrectUserName', { name: 'Ada K', reason: ' ' }))
      .thenThrows(ValidationError, UserErrorCode.InvalidReason);
  });

  it('rejects the same name (a no-op)', () => {
    spec
      .given([registered])
      .when(command('CorrectUserName', { name: 'Ada Lovelace', reason: 'typo' }))
      .thenThrows(IllegalStateError, UserErrorCode.NameUnchanged);
  });

  it('rejects an unknown user', () => {
    spec
      .given([])
      .when(command('CorrectUserName', { name: 'Ada', reason: 'typo' }))
      .thenThrows(NotFoundError, UserErrorCode.NotFound);
  });

  it('rejects a deactivated user', () => {
    spec
      .given([registered, deactivated])
      .when(command('CorrectUserName', { name: 'Ada K', reason: 'typo' }))
      .thenThrows(IllegalStateError, UserErrorCode.Deactivated);
  });
});

describe('ChangeUserEmail', () => {
  it('records old and new address, normalised', () => {
    spec
      .given([registered])
      .when(command('ChangeUserEmail', { email: 'ada@Analytical.Engine.org ' }))
      .then([
        {
          type: 'UserEmailChanged',
          data: { userId, oldEmail: 'ada@example.com', newEmail: 'ada@analytical.engine.org' },
        },
      ]);
  });

  it('rejects the same address, even written differently (a no-op)', () => {
    spec
      .given([registered])
      .when(command('ChangeUserEmail', { email: 'ada@EXAMPLE.com' }))
      .thenThrows(IllegalStateError, UserErrorCode.EmailUnchanged);
  });

  it('rejects an invalid address', () => {
    spec
      .given([registered])
      .when(command('ChangeUserEmail', { email: 'no at sign' }))
      .thenThrows(ValidationError, UserErrorCode.InvalidEmail);
  });

  it('rejects an unknown user', () => {
    spec
      .given([])
      .when(command('ChangeUserEmail', { email: 'ada@example.org' }))
      .thenThrows(NotFoundError, UserErrorCode.NotFound);
  });

  it('rejects a deactivated user', () => {
    spec
      .given([registered, deactivated])
      .when(command('ChangeUserEmail', { email: 'ada@example.org' }))
      .thenThrows(IllegalStateError, UserErrorCode.Deactivated);
  });
});

describe('DeactivateUser', () => {
  it('deactivates an active user', () => {
    spec
      .given([registered])
      .when(command('DeactivateUser', { reason: 'left the company' }))
      .then([{ type: 'UserDeactivated', data: { userId, reason: 'left the company' } }]);
  });

  it('rejects deactivating twice (a no-op)', () => {
    spec
      .given([registered, deactivated])
      .when(command('DeactivateUser', { reason: null }))
      .thenThrows(IllegalStateError, UserErrorCode.AlreadyDeactivated);
  });

  it('rejects a reason with control characters', () => {
    spec
      .given([registered])
      .when(command('DeactivateUser', { reason: 'bye\u0000' }))
      .thenThrows(ValidationError, UserErrorCode.InvalidReason);
  });

  it('rejects an unknown user', () => {
    spec
      .given([])
      .when(command('DeactivateUser', { reason: null }))
      .thenThrows(NotFoundError, UserErrorCode.NotFound);
  });
});

describe('ReactivateUser', () => {
  it('reactivates a deactivated user, after which changes are accepted again', () => {
    spec
      .given([registered, deactivated])
      .when(command('ReactivateUser', {}))
      .then([{ type: 'UserReactivated', data: { userId } }]);
    spec
      .given([registered, deactivated, { type: 'UserReactivated', data: { userId } }])
      .when(command('ChangeUserName', { name: 'Ada King', reason: null }))
      .then([
        {
          type: 'UserNameChanged',
          data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: null },
        },
      ]);
  });

  it('rejects reactivating an active user (a no-op)', () => {
    spec
      .given([registered])
      .when(command('ReactivateUser', {}))
      .thenThrows(IllegalStateError, UserErrorCode.AlreadyActive);
  });

  it('rejects an unknown user', () => {
    spec.given([]).when(command('ReactivateUser', {})).thenThrows(NotFoundError, UserErrorCode.NotFound);
  });
});

describe('ForgetUser', () => {
  it('forgets a registered user: the event carries no personal field', () => {
    spec
      .given([registered])
      .when(command('ForgetUser', { reason: 'erasure request' }))
      .then([{ type: 'UserForgotten', data: { userId, reason: 'erasure request' } }]);
  });

  it('forgets a deactivated user too', () => {
    spec
      .given([registered, deactivated])
      .when(command('ForgetUser', { reason: null }))
      .then([{ type: 'UserForgotten', data: { userId, reason: null } }]);
  });

  it('is idempotent: forgetting twice succeeds and writes nothing', () => {
    spec
      .given([registered, forgotten])
      .when(command('ForgetUser', { reason: 'again' }))
      .then([]);
  });

  it('rejects an unknown user, like every command on a missing user (HTTP 404)', () => {
    spec
      .given([])
      .when(command('ForgetUser', { reason: null }))
      .thenThrows(NotFoundError, UserErrorCode.NotFound);
  });

  it('rejects a reason with control characters', () => {
    spec
      .given([registered])
      .when(command('ForgetUser', { reason: 'gdpr\u0000' }))
      .thenThrows(ValidationError, UserErrorCode.InvalidReason);
  });
});

describe('after forgetting', () => {
  it.each([
    ['ChangeUserName', command('ChangeUserName', { name: 'Ada King', reason: null })],
    ['CorrectUserName', command('CorrectUserName', { name: 'Ada King', reason: 'typo' })],
    ['ChangeUserEmail', command('ChangeUserEmail', { email: 'ada@example.org' })],
  ])('rejects %s: a forgotten user is never given personal data again', (_type, cmd) => {
    spec.given([registered, forgotten]).when(cmd).thenThrows(IllegalStateError, UserErrorCode.Forgotten);
    spec
      .given([registered, deactivated, forgotten])
      .when(cmd)
      .thenThrows(IllegalStateError, UserErrorCode.Forgotten);
  });

  it('rejects registering the same id again: the id stays taken', () => {
    spec
      .given([registered, forgotten])
      .when(command('RegisterUser', { userId, name: 'Ada', email: 'ada@example.com', locale: null }))
      .thenThrows(ConflictError, UserErrorCode.AlreadyRegistered);
  });

  it('still deactivates and reactivates: the status carries no personal data', () => {
    spec
      .given([registered, forgotten])
      .when(command('DeactivateUser', { reason: null }))
      .then([{ type: 'UserDeactivated', data: { userId, reason: null } }]);
    spec
      .given([registered, forgotten, deactivated])
      .when(command('ReactivateUser', {}))
      .then([{ type: 'UserReactivated', data: { userId } }]);
  });
});
