import { ERASED, fold } from '@eventfold/core';
import { userDecider } from './decider';
import type { UserEvent } from './events';
import { forgotten, registered, userId } from './testing/fixtures';

describe('evolve', () => {
  it('folds every event type into the state', () => {
    const history: UserEvent[] = [
      registered,
      {
        type: 'UserNameChanged',
        data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: null },
      },
      {
        type: 'UserNameCorrected',
        data: { userId, oldName: 'Ada King', newName: 'Ada King-Noel', reason: 'spelling' },
      },
      {
        type: 'UserEmailChanged',
        data: { userId, oldEmail: 'ada@example.com', newEmail: 'ada@example.org' },
      },
      { type: 'UserDeactivated', data: { userId, reason: null } },
    ];
    expect(fold(userDecider, history)).toEqual({
      status: 'deactivated',
      userId,
      name: 'Ada King-Noel',
      email: 'ada@example.org',
      locale: null,
      forgotten: false,
    });
    expect(fold(userDecider, [...history, { type: 'UserReactivated', data: { userId } }])).toMatchObject({
      status: 'active',
    });
  });

  it('erases the personal fields of a forgotten user and keeps the rest', () => {
    expect(fold(userDecider, [registered, forgotten])).toEqual({
      status: 'active',
      userId,
      name: ERASED,
      email: ERASED,
      locale: null,
      forgotten: true,
    });
  });

  it('folds a forgotten stream as it decodes once its key is gone: erased values everywhere, no crash', () => {
    const erasedHistory: UserEvent[] = [
      { type: 'UserRegistered', data: { userId, name: ERASED, email: ERASED, locale: 'en' } },
      { type: 'UserNameChanged', data: { userId, oldName: ERASED, newName: ERASED, reason: null } },
      { type: 'UserDeactivated', data: { userId, reason: null } },
      forgotten,
    ];
    expect(fold(userDecider, erasedHistory)).toEqual({
      status: 'deactivated',
      userId,
      name: ERASED,
      email: ERASED,
      locale: 'en',
      forgotten: true,
    });
  });

  it('ignores changes to a user that was never registered', () => {
    const stray: UserEvent = {
      type: 'UserEmailChanged',
      data: { userId, oldEmail: 'a@b.cd', newEmail: 'e@f.gh' },
    };
    expect(fold(userDecider, [stray])).toEqual({ status: 'not-registered' });
    expect(fold(userDecider, [forgotten])).toEqual({ status: 'not-registered' });
  });
});
