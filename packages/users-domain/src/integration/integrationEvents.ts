/**
 * The public contract of the users context (`users.integration.v1`): what other services may build on. Small and
 * stable, unlike `users.events`, which follows the domain. Every fact but the erasure carries the whole public
 * profile after it (event-carried state): the topic is compacted by user, so a consumer that starts late still finds
 * each user's latest profile, and an erased user's earlier records, the only ones with personal data, are
 * compacted away (docs/decisions/0017-public-integration-topic.md).
 */
export interface PublicProfile {
  readonly userId: string;
  /** The position of the user's own stream this fact follows: apply a fact only when it is higher than the last. */
  readonly sourceVersion: number;
  /** When it happened, epoch ms. */
  readonly occurredAt: number;
  /** Personal data; null when it could not be read (the user was erased before the fact was published). */
  readonly name: string | null;
  /** Personal data, normalised; null as `name`. */
  readonly email: string | null;
  readonly locale: string | null;
  readonly status: 'active' | 'deactivated';
  readonly joinedAt: number;
}

export type ProfileField = 'name' | 'email';

export interface IntegrationEventData {
  UserJoined: PublicProfile;
  /** What changed, not why (a correction and a change look alike from outside). */
  UserProfileChanged: PublicProfile & { readonly changed: readonly ProfileField[] };
  /** Deactivated. */
  UserLeft: PublicProfile;
  /** Reactivated. */
  UserReturned: PublicProfile;
  /** Forgotten: no personal data, here or (once compacted) in any earlier record of the user. */
  UserErased: { readonly userId: string; readonly sourceVersion: number; readonly occurredAt: number };
}

export type IntegrationEventType = keyof IntegrationEventData;

/** One public fact; `eventId` is the id of the domain event it was made from, so a fact has one id however often made. */
export type IntegrationEvent = {
  [T in IntegrationEventType]: {
    readonly type: T;
    readonly eventId: string;
    readonly data: IntegrationEventData[T];
  };
}[IntegrationEventType];

export const integrationEventTypes = Object.freeze([
  'UserJoined',
  'UserProfileChanged',
  'UserLeft',
  'UserReturned',
  'UserErased',
] as const satisfies readonly IntegrationEventType[]);
