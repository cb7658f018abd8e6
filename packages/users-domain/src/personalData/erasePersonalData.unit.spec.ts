import { ERASED } from '@eventfold/core';
import type { UserEvent } from '../events';
import { deactivated, forgotten, registered, userId } from '../testing/fixtures';
import { erasePersonalData } from './erasePersonalData';

describe('erasePersonalData', () => {
  it('erases names and addresses and keeps every other field', () => {
    const events: UserEvent[] = [
      { type: 'UserRegistered', data: { userId, name: 'Ada', email: 'ada@example.com', locale: 'en' } },
      { type: 'UserNameChanged', data: { userId, oldName: 'Ada', newName: 'Ada K', reason: 'marriage' } },
      { type: 'UserNameCorrected', data: { userId, oldName: 'Ada K', newName: 'Ada King', reason: 'typo' } },
      { type: 'UserEmailChanged', data: { userId, oldEmail: 'ada@example.com', newEmail: 'a@b.org' } },
    ];
    expect(events.map(erasePersonalData)).toEqual([
      { type: 'UserRegistered', data: { userId, name: ERASED, email: ERASED, locale: 'en' } },
      { type: 'UserNameChanged', data: { userId, oldName: ERASED, newName: ERASED, reason: 'marriage' } },
      { type: 'UserNameCorrected', data: { userId, oldName: ERASED, newName: ERASED, reason: 'typo' } },
      { type: 'UserEmailChanged', data: { userId, oldEmail: ERASED, newEmail: ERASED } },
    ]);
  });

  it('leaves events without personal data as they are, and is idempotent', () => {
    for (const event of [deactivated, forgotten, { type: 'UserReactivated', data: { userId } } as UserEvent])
      expect(erasePersonalData(event)).toBe(event);
    expect(erasePersonalData(erasePersonalData(registered))).toEqual(erasePersonalData(registered));
  });

  it('keeps the metadata of a recorded event', () => {
    const recorded = { ...registered, metadata: { version: 1, streamId: `user-${userId}` } };
    expect(erasePersonalData(recorded).metadata).toBe(recorded.metadata);
  });
});
