import { randomUUID } from 'node:crypto';
import type { RecordedUserEvent, UserEventData, UserEventType } from '@eventfold/users-domain';

/**
 * Builds the events of one user stream, versions contiguous from 1, the way the command service records them:
 * `const ada = userStream(); ada.registered('Ada', 'ada@example.com'); ada.emailChanged('ada@example.org')`.
 */
export function userStream(userId: string = randomUUID(), at: () => number = Date.now) {
  const streamId = `user-${userId}`;
  let version = 0;
  let email = '';
  let name = '';
  const events: RecordedUserEvent[] = [];
  const record = <T extends UserEventType>(type: T, data: UserEventData[T]): RecordedUserEvent => {
    const event = {
      type,
      data,
      metadata: {
        eventId: randomUUID(),
        streamId,
        version: ++version,
        occurredAt: at(),
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: 'test',
      },
    } as RecordedUserEvent;
    events.push(event);
    return event;
  };
  return {
    userId,
    streamId,
    events,
    registered(newName: string, newEmail: string, locale: string | null = null) {
      name = newName;
      email = newEmail;
      return record('UserRegistered', { userId, name: newName, email: newEmail, locale });
    },
    /** A user brought in from a legacy table (issue 20). */
    imported(newName: string, newEmail: string, legacyId = '1') {
      name = newName;
      email = newEmail;
      return record('UserImported', {
        userId,
        name: newName,
        email: newEmail,
        sourceTable: 'users',
        legacyId,
        sourceUpdatedAt: null,
      });
    },
    emailChanged(newEmail: string) {
      const oldEmail = email;
      email = newEmail;
      return record('UserEmailChanged', { userId, oldEmail, newEmail });
    },
    nameChanged(newName: string, reason: string | null = null) {
      const oldName = name;
      name = newName;
      return record('UserNameChanged', { userId, oldName, newName, reason });
    },
    nameCorrected(newName: string, reason: string) {
      const oldName = name;
      name = newName;
      return record('UserNameCorrected', { userId, oldName, newName, reason });
    },
    deactivated(reason: string | null = null) {
      return record('UserDeactivated', { userId, reason });
    },
    forgotten(reason: string | null = null) {
      return record('UserForgotten', { userId, reason });
    },
  };
}
