import { assertNever, ERASED } from '@eventfold/core';
import type { RecordedUserEvent } from '@eventfold/users-domain';
import type { Recipient } from '../recipients/recipient';
import { TemplateName, type TemplateVars } from '../templates/templates';
import {
  notificationKey,
  notificationMessageId,
  type Notification,
  type NotificationSource,
} from './notification';

/**
 * The emails an event calls for. `recipient` is the notifier's projection after applying the event: name
 * changes go to the user's current address, which only the projection knows.
 */
export function notificationsFor(event: RecordedUserEvent, recipient: Recipient | null): Notification[] {
  // An event of a forgotten user decodes with its addresses erased (a replay, a new notifier): nobody to write to.
  return wanted(event, recipient).filter((n) => n.to !== ERASED);
}

function wanted(event: RecordedUserEvent, recipient: Recipient | null): Notification[] {
  const { eventId, streamId, version, occurredAt } = event.metadata;
  const source: NotificationSource = { eventId, eventType: event.type, streamId, version, occurredAt };
  const make = <T extends TemplateName>(template: T, to: string | null, vars: TemplateVars[T]) =>
    ({
      template,
      to,
      vars,
      source,
      key: notificationKey(eventId, template),
      messageId: notificationMessageId(eventId, template),
    }) as Notification;
  switch (event.type) {
    case 'UserRegistered':
      return [
        make(TemplateName.Welcome, event.data.email, { name: event.data.name, email: event.data.email }),
      ];
    case 'UserEmailChanged': {
      const vars = { name: recipient?.name ?? null, newEmail: event.data.newEmail };
      return [
        make(TemplateName.EmailChangeConfirmation, event.data.newEmail, vars),
        make(TemplateName.EmailChangeNotice, event.data.oldEmail, vars),
      ];
    }
    case 'UserNameChanged':
      return [
        make(TemplateName.NameChanged, recipient?.email ?? null, {
          oldName: event.data.oldName,
          newName: event.data.newName,
          reason: event.data.reason,
        }),
      ];
    case 'UserNameCorrected':
      return [
        make(TemplateName.NameCorrected, recipient?.email ?? null, {
          oldName: event.data.oldName,
          newName: event.data.newName,
          reason: event.data.reason,
        }),
      ];
    // An imported user has had its account all along (issue 20): no welcome.
    case 'UserImported':
    case 'UserDeactivated':
    case 'UserReactivated':
    case 'UserForgotten':
      return [];
    default:
      return assertNever(event);
  }
}
