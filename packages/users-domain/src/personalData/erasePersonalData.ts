import { assertNever, ERASED } from '@eventfold/core';
import type { UserEvent } from '../events';

/**
 * The event as it reads once its user is forgotten: every personal field (those marked `"pii": true` in the Avro
 * schemas) replaced by `ERASED`, every other field as it was. Pure. Read stores that hold event data in plain form
 * (the history behind the audit trail and time travel) apply it to the stream's earlier events on UserForgotten,
 * so that they match what the crypto layer decodes once the user's key is gone.
 */
export function erasePersonalData<E extends UserEvent>(event: E): E {
  const e = event;
  switch (e.type) {
    case 'UserRegistered':
    case 'UserImported':
      return { ...event, data: { ...e.data, name: ERASED, email: ERASED } };
    case 'UserNameChanged':
    case 'UserNameCorrected':
      return { ...event, data: { ...e.data, oldName: ERASED, newName: ERASED } };
    case 'UserEmailChanged':
      return { ...event, data: { ...e.data, oldEmail: ERASED, newEmail: ERASED } };
    case 'UserDeactivated':
    case 'UserReactivated':
    case 'UserForgotten':
      return event;
    default:
      return assertNever(e, 'event');
  }
}
