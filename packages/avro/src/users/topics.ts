/** The topics of the users context and the records each carries (wire contract: docs/architecture.md#topics). */
export const UserTopics = Object.freeze({
  commands: 'users.commands',
  events: 'users.events',
  snapshots: 'users.snapshots',
  commandResults: 'users.command-results',
  eventsDlq: 'users.events.dlq',
} as const);

export type UserTopicNames = { readonly [K in keyof typeof UserTopics]: string };

/** The users topics under a prefix (tests and side-by-side environments use one; production uses none). */
export function userTopicNames(prefix = ''): UserTopicNames {
  return Object.freeze(
    Object.fromEntries(Object.entries(UserTopics).map(([k, v]) => [k, `${prefix}${v}`])) as UserTopicNames,
  );
}

export const USERS_NAMESPACE = 'eventfold.users';

export const userRecordName = (name: string): string => `${USERS_NAMESPACE}.${name}`;

/** The topic whose subjects hold a record's schemas (TopicRecordNameStrategy). */
export function topicOfUserRecord(fullName: string): string {
  switch (fullName) {
    case userRecordName('UserStreamSnapshot'):
      return UserTopics.snapshots;
    case userRecordName('UserCommandEnvelope'):
      return UserTopics.commands;
    case userRecordName('UserCommandResult'):
      return UserTopics.commandResults;
    default:
      return UserTopics.events;
  }
}
