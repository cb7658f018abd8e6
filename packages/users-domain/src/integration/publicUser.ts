import type { IntegrationEvent, PublicProfile } from './integrationEvents';

/** What the translator knows of one user: the profile last published, or that the user is gone. */
export type PublicUser =
  | { readonly status: 'unknown' }
  | { readonly status: 'published'; readonly profile: PublicProfile }
  | { readonly status: 'erased'; readonly userId: string; readonly sourceVersion: number };

export const unknownUser: PublicUser = Object.freeze({ status: 'unknown' });

/** The position of the user's stream up to which facts are published (0 for none). */
export function publishedVersion(user: PublicUser): number {
  switch (user.status) {
    case 'unknown':
      return 0;
    case 'published':
      return user.profile.sourceVersion;
    case 'erased':
      return user.sourceVersion;
  }
}

/** The user as a published fact leaves it: how the translator restores its state from the public topic itself. */
export function publicUserAfter(event: IntegrationEvent): PublicUser {
  if (event.type === 'UserErased')
    return { status: 'erased', userId: event.data.userId, sourceVersion: event.data.sourceVersion };
  const { userId, sourceVersion, occurredAt, name, email, locale, status, joinedAt } = event.data;
  return {
    status: 'published',
    profile: { userId, sourceVersion, occurredAt, name, email, locale, status, joinedAt },
  };
}
