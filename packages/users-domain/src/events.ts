import type { DomainEvent, RecordedEvent } from '@eventfold/core';

/** Data of each event. Personal fields (names, emails) are marked `"pii": true` in the Avro schemas. */
export interface UserEventData {
  UserRegistered: {
    readonly userId: string;
    readonly name: string;
    readonly email: string;
    readonly locale: string | null;
  };
  /**
   * A user came in from a legacy system (issue 20): a registration in all but name, with its provenance. No welcome
   * email: the user has had an account all along.
   */
  UserImported: {
    readonly userId: string;
    readonly name: string;
    readonly email: string;
    readonly sourceTable: string;
    readonly legacyId: string;
    /** The row's `updated_at` when read (epoch ms), null when it had none. */
    readonly sourceUpdatedAt: number | null;
  };
  UserNameChanged: {
    readonly userId: string;
    readonly oldName: string;
    readonly newName: string;
    readonly reason: string | null;
  };
  UserNameCorrected: {
    readonly userId: string;
    readonly oldName: string;
    readonly newName: string;
    readonly reason: string;
  };
  UserEmailChanged: { readonly userId: string; readonly oldEmail: string; readonly newEmail: string };
  UserDeactivated: { readonly userId: string; readonly reason: string | null };
  UserReactivated: { readonly userId: string };
  /** The user's personal data was erased. Carries no personal field itself. */
  UserForgotten: { readonly userId: string; readonly reason: string | null };
}

export type UserEventType = keyof UserEventData;
export type UserEventOf<T extends UserEventType> = DomainEvent<T, UserEventData[T]>;
export type UserEvent = { [T in UserEventType]: UserEventOf<T> }[UserEventType];
export type RecordedUserEvent = RecordedEvent<UserEvent>;

export const userEventTypes = Object.freeze([
  'UserRegistered',
  'UserImported',
  'UserNameChanged',
  'UserNameCorrected',
  'UserEmailChanged',
  'UserDeactivated',
  'UserReactivated',
  'UserForgotten',
] as const satisfies readonly UserEventType[]);
