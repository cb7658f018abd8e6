import { DEFAULT_COMPATIBILITY, type CompatibilityLevel } from '../compatibility/compatibilityLevel';

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

/** The public topic other services build on (docs/decisions/0017-public-integration-topic.md), and its records' namespace. */
export const INTEGRATION_TOPIC = 'users.integration.v1';
export const INTEGRATION_NAMESPACE = 'eventfold.users.integration.v1';

export const integrationRecordName = (name: string): string => `${INTEGRATION_NAMESPACE}.${name}`;

/**
 * The compatibility rule of a record's subjects: the public records are read by services that may be older or newer
 * than eventfold (FULL_TRANSITIVE); eventfold's own are read by eventfold, never older than the writer
 * (BACKWARD_TRANSITIVE).
 */
export function compatibilityOfRecord(fullName: string): CompatibilityLevel {
  return fullName.startsWith(`${INTEGRATION_NAMESPACE}.`) ? 'FULL_TRANSITIVE' : DEFAULT_COMPATIBILITY;
}

export const userRecordName = (name: string): string => `${USERS_NAMESPACE}.${name}`;

/** The topic whose subjects hold a record's schemas (TopicRecordNameStrategy). */
export function topicOfUserRecord(fullName: string): string {
  if (fullName.startsWith(`${INTEGRATION_NAMESPACE}.`)) return INTEGRATION_TOPIC;
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
