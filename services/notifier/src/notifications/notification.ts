import type { UserEventType } from '@eventfold/users-domain';
import { TemplateName, type TemplateVars } from '../templates/templates';

/** The event a notification comes from: ids and position only, never personal data. */
export interface NotificationSource {
  readonly eventId: string;
  readonly eventType: UserEventType;
  readonly streamId: string;
  readonly version: number;
  readonly occurredAt: number;
}

/** One email an event calls for. `to` and `vars` are personal data: never logged, never put in the ledger. */
export type Notification = {
  [T in TemplateName]: {
    readonly template: T;
    readonly vars: TemplateVars[T];
    /** Null when the notifier does not know where to write (it never saw the user's address). */
    readonly to: string | null;
    readonly source: NotificationSource;
    /** `${eventId}:${template}`: the ledger key. */
    readonly key: string;
    /** `<${eventId}.${template}@eventfold>`: the same for every attempt, so a receiver can tell a repeat. */
    readonly messageId: string;
  };
}[TemplateName];

/** The ledger key of an (event, template) pair. */
export const notificationKey = (eventId: string, template: TemplateName): string => `${eventId}:${template}`;

/** The deterministic Message-ID of an (event, template) pair (RFC 5322 msg-id: `<left@right>`). */
export const notificationMessageId = (eventId: string, template: TemplateName): string =>
  `<${eventId}.${template}@eventfold>`;
