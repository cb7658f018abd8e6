import { projectionSpec, type EventMetadata } from '@eventfold/core';
import type { RecordedUserEvent, UserEvent } from '../events';
import { userId } from '../testing/fixtures';
import { userViewProjection } from './userView';

const at = (version: number): EventMetadata => ({
  eventId: `e${version}`,
  streamId: `user-${userId}`,
  version,
  occurredAt: 1_000 * version,
  correlationId: 'c',
  causationId: 'k',
  actor: 'a',
});
const recorded = (events: UserEvent[]): RecordedUserEvent[] =>
  events.map((e, i) => ({ ...e, metadata: at(i + 1) }) as RecordedUserEvent);
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

  it('ignores changes to a user it never saw registered', () => {
    spec
      .given(recorded([{ type: 'UserReactivated', data: { userId } }]))
      .then({ status: 'none', version: 0 });
  });
});
