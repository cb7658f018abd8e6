import { ConflictError, deciderSpec, ValidationError } from '@eventfold/core';
import { userDecider } from './decider';
import { UserErrorCode } from './errorCodes';
import { evolve } from './evolve';
import { userViewProjection } from './projections/userView';
import { initialUserState } from './state';
import { command, registered, userId } from './testing/fixtures';

const spec = deciderSpec(userDecider);
const source = { table: 'users', legacyId: '42', updatedAt: Date.UTC(2025, 0, 2) };
const importUser = (override: Partial<{ name: string; email: string; deactivated: boolean }> = {}) =>
  command('ImportUser', {
    userId,
    name: ' Ada Lovelace ',
    email: 'Ada@Example.COM',
    deactivated: false,
    source,
    ...override,
  });
const imported = {
  type: 'UserImported' as const,
  data: {
    userId,
    name: 'Ada Lovelace',
    email: 'Ada@example.com',
    sourceTable: 'users',
    legacyId: '42',
    sourceUpdatedAt: source.updatedAt,
  },
};

describe('ImportUser', () => {
  it('imports a legacy row with its provenance, normalised as a registration is', () => {
    spec.given([]).when(importUser()).then([imported]);
  });

  it('imports a soft-deleted row as a deactivated user', () => {
    spec
      .given([])
      .when(importUser({ deactivated: true }))
      .then([
        imported,
        { type: 'UserDeactivated', data: { userId, reason: 'deactivated in the legacy system' } },
      ]);
  });

  it('imports a user once: a second import finds it already present', () => {
    spec.given([imported]).when(importUser()).thenThrows(ConflictError, UserErrorCode.AlreadyRegistered);
    spec.given([registered]).when(importUser()).thenThrows(ConflictError, UserErrorCode.AlreadyRegistered);
  });

  it.each([
    ['an invalid email', { email: 'not an address' }, UserErrorCode.InvalidEmail],
    ['a name of 500 characters', { name: 'x'.repeat(500) }, UserErrorCode.InvalidName],
    ['a name with a control character', { name: 'Ada\u0000Lovelace' }, UserErrorCode.InvalidName],
  ])('refuses a row with %s, as it refuses a registration', (_what, override, code) => {
    spec.given([]).when(importUser(override)).thenThrows(ValidationError, code);
  });

  it('leaves a user that behaves as a registered one', () => {
    expect(evolve(initialUserState(), imported)).toEqual({
      status: 'active',
      userId,
      name: 'Ada Lovelace',
      email: 'Ada@example.com',
      locale: null,
      forgotten: false,
    });
    spec
      .given([imported])
      .when(command('ChangeUserName', { name: 'Ada King', reason: null }))
      .then([
        {
          type: 'UserNameChanged',
          data: { userId, oldName: 'Ada Lovelace', newName: 'Ada King', reason: null },
        },
      ]);
  });

  it('shows in the read model as a registered user', () => {
    const metadata = {
      eventId: 'e1',
      streamId: `user-${userId}`,
      version: 1,
      occurredAt: 1000,
      correlationId: 'c',
      causationId: 'c',
      actor: 'migration',
    };
    expect(userViewProjection.evolve(userViewProjection.initial(), { ...imported, metadata })).toEqual({
      status: 'active',
      id: userId,
      name: 'Ada Lovelace',
      email: 'Ada@example.com',
      locale: null,
      version: 1,
      createdAt: 1000,
      updatedAt: 1000,
    });
  });
});
