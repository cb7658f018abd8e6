import { fold } from '@eventfold/core';
import { userDecider } from './decider';
import type { UserEvent } from './events';
import { registered, userId } from './testing/fixtures';

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
    });
    expect(fold(userDecider, [...history, { type: 'UserReactivated', data: { userId } }])).toMatchObject({
      status: 'active',
    });
  });

  it('ignores changes to a user that was never registered', () => {
    const stray: UserEvent = {
      type: 'UserEmailChanged',
      data: { userId, oldEmail: 'a@b.cd', newEmail: 'e@f.gh' },
    };
    expect(fold(userDecider, [stray])).toEqual({ status: 'not-registered' });
  });
});
