import { ERASED, projectionSpec } from '@eventfold/core';
import { recorded, userId } from '../testing/fixtures';
import { userViewProjection } from './userView';

const spec = projectionSpec(userViewProjection);

describe('userViewProjection', () => {
  it('starts a user at registration', () => {
    spec
      .given(
        recorded([
          { type: 'UserRegistered', data: { userId, name: 'Ada', email: 'ada@example.com', locale: 'en' } },
        ]),
      )
      .then({
        status: 'active',
        id: userId,
        name: 'Ada',
        email: 'ada@example.com',
        locale: 'en',
        version: 1,
        createdAt: 1000,
        updatedAt: 1000,
      });
  });

  it('follows changes, corrections, deactivation and reactivation', () => {
    spec
      .given(
        recorded([
          { type: 'UserRegistered', data: { userId, name: 'Ada', email: 'ada@example.com', locale: null } },
          { type: 'UserNameChanged', data: { userId, oldName: 'Ada', newName: 'Ada King', reason: null } },
          {
            type: 'UserNameCorrected',
            data: { userId, oldName: 'Ada King', newName: 'Ada Kingg', reason: 'x' },
          },
          {
            type: 'UserEmailChanged',
            data: { userId, oldEmail: 'ada@example.com', newEmail: 'ada@example.org' },
          },
          { type: 'UserDeactivated', data: { userId, reason: null } },
        ]),
      )
      .then({
        status: 'deactivated',
        id: userId,
        name: 'Ada Kingg',
        email: 'ada@example.org',
        locale: null,
        version: 5,
        createdAt: 1000,
        updatedAt: 5000,
      });
  });

  it('shows erased personal fields after UserForgotten, and keeps the rest', () => {
    spec
      .given(
        recorded([
          { type: 'UserRegistered', data: { userId, name: 'Ada', email: 'ada@example.com', locale: 'en' } },
          { type: 'UserDeactivated', data: { userId, reason: null } },
          { type: 'UserForgotten', data: { userId, reason: 'erasure request' } },
        ]),
      )
      .then({
        status: 'deactivated',
        id: userId,
        name: ERASED,
        email: ERASED,
        locale: 'en',
        version: 3,
        createdAt: 1000,
        updatedAt: 3000,
      });
  });

  // Once the key is deleted, every event of the stream decodes erased, those before the forget included: time
  // travel to any version folds erased values, and must not trip over them.
  const erasedHistory = recorded([
    { type: 'UserRegistered', data: { userId, name: ERASED, email: ERASED, locale: null } },
    { type: 'UserNameChanged', data: { userId, oldName: ERASED, newName: ERASED, reason: 'marriage' } },
    { type: 'UserEmailChanged', data: { userId, oldEmail: ERASED, newEmail: ERASED } },
    { type: 'UserForgotten', data: { userId, reason: null } },
  ]);

  it.each([1, 2, 3, 4])('time travel to version %i of a forgotten stream shows erased values', (version) => {
    spec.given(erasedHistory.slice(0, version)).then({
      status: 'active',
      id: userId,
      name: ERASED,
      email: ERASED,
      locale: null,
      version,
      createdAt: 1000,
      updatedAt: 1000 * version,
    });
  });

  it('ignores changes to a user it never saw registered', () => {
    spec
      .given(recorded([{ type: 'UserReactivated', data: { userId } }]))
      .then({ status: 'none', version: 0 });
  });
});
