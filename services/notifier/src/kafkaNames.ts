/** The topic where given-up notifications go. */
export const notificationsDlqTopic = (prefix: string) => `${prefix}users.notifications.dlq`;

/** The notifier's consumer group. */
export const notifierGroupId = (prefix: string) => `${prefix}notifier`;

/** The private groups (`<prefix>-<uuid>`) of the notifier's partition reads (the schema check of the log's tail). */
export const notifierReaderGroupPrefix = (prefix: string) => `${prefix}notifier-reader`;
