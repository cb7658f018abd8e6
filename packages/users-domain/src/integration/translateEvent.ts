import { assertNever, ERASED } from '@eventfold/core';
import type { RecordedUserEvent } from '../events';
import { userIdOfStream } from '../rules/userId';
import type { IntegrationEvent, ProfileField, PublicProfile } from './integrationEvents';
import { publishedVersion, type PublicUser } from './publicUser';

export interface Translation {
  /** The public fact to publish, or null when consumers would see no difference. */
  readonly published: IntegrationEvent | null;
  readonly user: PublicUser;
}

/** A personal field as it may be published: a value the key no longer opens is not data. */
const personal = (value: string): string | null => (value === ERASED ? null : value);

/**
 * Turns one domain event into the public fact it amounts to, given what was published for the user before. Pure
 * and deterministic, so a replay makes the same facts with the same ids, and skips what was published already
 * (an event at or below the published version). Corrections and changes that leave the profile as it was publish
 * nothing; events of other streams or types publish nothing.
 */
export function translateEvent(user: PublicUser, event: RecordedUserEvent): Translation {
  const userId = userIdOfStream(event.metadata.streamId);
  if (userId === null || event.metadata.version <= publishedVersion(user)) return { published: null, user };
  const { eventId, version: sourceVersion, occurredAt } = event.metadata;
  if (event.type === 'UserForgotten') {
    return {
      published: { type: 'UserErased', eventId, data: { userId, sourceVersion, occurredAt } },
      user: { status: 'erased', userId, sourceVersion },
    };
  }
  if (user.status === 'erased') return { published: null, user };
  // An imported user joins the public side as a registered one does: consumers see no difference.
  if (event.type === 'UserRegistered' || event.type === 'UserImported') {
    if (user.status !== 'unknown') return { published: null, user };
    const profile: PublicProfile = {
      userId,
      sourceVersion,
      occurredAt,
      name: personal(event.data.name),
      email: personal(event.data.email),
      locale: event.type === 'UserRegistered' ? event.data.locale : null,
      status: 'active',
      joinedAt: occurredAt,
    };
    return {
      published: { type: 'UserJoined', eventId, data: profile },
      user: { status: 'published', profile },
    };
  }
  if (user.status === 'unknown') return { published: null, user };
  const before = user.profile;
  const at = { ...before, sourceVersion, occurredAt };
  // What the translator holds is always what its last published fact says (publicUserAfter), so a restore from the
  // public topic holds the same: an event that publishes nothing leaves it as it was.
  const unchanged: Translation = { published: null, user };
  switch (event.type) {
    case 'UserNameChanged':
    case 'UserNameCorrected':
    case 'UserEmailChanged': {
      const read = event.type === 'UserEmailChanged' ? event.data.newEmail : event.data.newName;
      // A field the key no longer opens: the user's key is gone, and with it every personal field of the user, the
      // one this event did not carry too (its UserForgotten is still to come in the log).
      const after: PublicProfile =
        read === ERASED
          ? { ...at, name: null, email: null }
          : event.type === 'UserEmailChanged'
            ? { ...at, email: personal(event.data.newEmail) }
            : { ...at, name: personal(event.data.newName) };
      const changed = (['name', 'email'] as const).filter((f: ProfileField) => after[f] !== before[f]);
      if (changed.length === 0) return unchanged;
      return {
        published: { type: 'UserProfileChanged', eventId, data: { ...after, changed } },
        user: { status: 'published', profile: after },
      };
    }
    case 'UserDeactivated':
    case 'UserReactivated': {
      const status = event.type === 'UserDeactivated' ? 'deactivated' : 'active';
      if (status === before.status) return unchanged;
      const after: PublicProfile = { ...at, status };
      return {
        published: { type: status === 'deactivated' ? 'UserLeft' : 'UserReturned', eventId, data: after },
        user: { status: 'published', profile: after },
      };
    }
    default:
      return assertNever(event, 'user event');
  }
}
