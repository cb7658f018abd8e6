import { ERASED } from '@eventfold/core';
import type { RecordedUserEvent, UserEvent } from '../events';
import { at, recorded, userId } from '../testing/fixtures';
import type { IntegrationEvent } from './integrationEvents';
import { publicUserAfter, unknownUser, type PublicUser } from './publicUser';
import { translateEvent } from './translateEvent';

/** Translates a stream from the start: the facts published, and what the translator holds after. */
function translateAll(events: readonly RecordedUserEvent[], from: PublicUser = unknownUser) {
  const published: IntegrationEvent[] = [];
  let user = from;
  for (const event of events) {
    const t = translateEvent(user, event);
    if (t.published) published.push(t.published);
    user = t.user;
  }
  return { published, user };
}

const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId, name: 'Ada', email: 'ada@example.com', locale: 'en' },
};
const life = recorded([
  registered,
  { type: 'UserNameChanged', data: { userId, oldName: 'Ada', newName: 'Ada L', reason: null } },
  { type: 'UserNameCorrected', data: { userId, oldName: 'Ada L', newName: 'Ada L', reason: 'typo' } },
  { type: 'UserEmailChanged', data: { userId, oldEmail: 'ada@example.com', newEmail: 'ada@l.example' } },
  { type: 'UserDeactivated', data: { userId, reason: null } },
  { type: 'UserReactivated', data: { userId } },
  { type: 'UserForgotten', data: { userId, reason: null } },
]);

describe('translateEvent', () => {
  it('publishes one fact per change a consumer can see, each carrying the whole profile after it', () => {
    const { published } = translateAll(life);
    expect(published.map((e) => [e.type, e.eventId])).toEqual([
      ['UserJoined', 'e1'],
      ['UserProfileChanged', 'e2'],
      // e3 corrects the name to what it already is: nothing a consumer could see
      ['UserProfileChanged', 'e4'],
      ['UserLeft', 'e5'],
      ['UserReturned', 'e6'],
      ['UserErased', 'e7'],
    ]);
    expect(published[0]!.data).toEqual({
      userId,
      sourceVersion: 1,
      occurredAt: 1_000,
      name: 'Ada',
      email: 'ada@example.com',
      locale: 'en',
      status: 'active',
      joinedAt: 1_000,
    });
    expect(published[1]!.data).toMatchObject({ name: 'Ada L', changed: ['name'], sourceVersion: 2 });
    expect(published[2]!.data).toMatchObject({
      email: 'ada@l.example',
      changed: ['email'],
      sourceVersion: 4,
    });
    expect(published[3]!.data).toMatchObject({ status: 'deactivated', name: 'Ada L', joinedAt: 1_000 });
    expect(published[4]!.data).toMatchObject({ status: 'active', sourceVersion: 6 });
    expect(published[5]!.data).toEqual({ userId, sourceVersion: 7, occurredAt: 7_000 });
  });

  it('publishes nothing twice: a replay from the start, over what the last fact says, makes nothing', () => {
    const { published } = translateAll(life);
    for (let n = 1; n <= published.length; n++) {
      const restored = publicUserAfter(published[n - 1]!);
      const replay = translateAll(life, restored);
      expect(replay.published).toEqual(published.slice(n));
    }
  });

  it('holds exactly what its last published fact says, so a restore from the public topic changes nothing', () => {
    let user: PublicUser = unknownUser;
    for (const event of life) {
      const t = translateEvent(user, event);
      if (t.published) expect(t.user).toEqual(publicUserAfter(t.published));
      else expect(t.user).toBe(user);
      user = t.user;
    }
  });

  it('publishes no erased marker as data: personal fields the key no longer opens are null', () => {
    const [joined] = translateAll(
      recorded([{ ...registered, data: { ...registered.data, name: ERASED, email: ERASED } }]),
    ).published;
    expect(joined!.data).toMatchObject({ name: null, email: null });
  });

  it('publishes no personal field at all once one reads as erased: the key is gone for all of them', () => {
    const late = recorded([
      registered,
      { type: 'UserNameChanged', data: { userId, oldName: ERASED, newName: ERASED, reason: null } },
      { type: 'UserNameChanged', data: { userId, oldName: ERASED, newName: ERASED, reason: null } },
      { type: 'UserDeactivated', data: { userId, reason: null } },
    ]);
    const { published } = translateAll(late);
    expect(published.map((e) => e.type)).toEqual(['UserJoined', 'UserProfileChanged', 'UserLeft']);
    expect(published[1]!.data).toMatchObject({ name: null, email: null, changed: ['name', 'email'] });
    expect(published[2]!.data).toMatchObject({ name: null, email: null, status: 'deactivated' });
  });

  it('publishes an erasure even of a user it never saw join, and nothing else for such a user', () => {
    const afterErasure = translateAll(life.slice(6)).published;
    expect(afterErasure.map((e) => e.type)).toEqual(['UserErased']);
    expect(translateAll(life.slice(1, 6)).published).toEqual([]);
  });

  it('ignores streams that are not users', () => {
    const other: RecordedUserEvent = { ...life[0]!, metadata: at(1, 'email-0a1b') };
    expect(translateEvent(unknownUser, other)).toEqual({ published: null, user: unknownUser });
  });
});
