import type { RecordedUserEvent } from '@eventfold/users-domain';
import { assertNever } from '@eventfold/core';

/**
 * What the notifier knows of a user: where to write and how to greet. Events of name changes carry no address,
 * so the notifier keeps this small projection of its own. Email and name are personal data: never log them.
 */
export interface Recipient {
  readonly streamId: string;
  readonly userId: string;
  /** Null only if the notifier never saw an event that carries the address (it missed the registration). */
  readonly email: string | null;
  readonly name: string | null;
  readonly locale: string | null;
  readonly active: boolean;
  /** Version of the last event applied. */
  readonly version: number;
}

/** `applied`: the event moved the recipient on; `duplicate`: seen before (redelivery, replay); `gap`: applied, but events before it were never seen. */
export type RecipientOutcome = 'applied' | 'duplicate' | 'gap';

/**
 * Applies an event under a version guard: an event at or below the recipient's version changes nothing. Every
 * event this projection reads carries absolute values (the new address, the new name), so an event after a gap is
 * still applied rather than stalling every email of the partition; the gap is reported.
 */
export function evolveRecipient(
  current: Recipient | null,
  event: RecordedUserEvent,
): { recipient: Recipient | null; outcome: RecipientOutcome } {
  const { version, streamId } = event.metadata;
  const seen = current?.version ?? 0;
  if (version <= seen) return { recipient: current, outcome: 'duplicate' };
  const base: Recipient = current ?? {
    streamId,
    userId: event.data.userId,
    email: null,
    name: null,
    locale: null,
    active: true,
    version: 0,
  };
  const outcome: RecipientOutcome = version === seen + 1 ? 'applied' : 'gap';
  const next = (changes: Partial<Recipient>): { recipient: Recipient; outcome: RecipientOutcome } => ({
    recipient: { ...base, ...changes, version },
    outcome,
  });
  switch (event.type) {
    case 'UserRegistered':
      return next({
        email: event.data.email,
        name: event.data.name,
        locale: event.data.locale,
        active: true,
      });
    case 'UserImported':
      // Later emails (a changed name or address) reach an imported user as they reach a registered one.
      return next({ email: event.data.email, name: event.data.name, locale: null, active: true });
    case 'UserEmailChanged':
      return next({ email: event.data.newEmail });
    case 'UserNameChanged':
    case 'UserNameCorrected':
      return next({ name: event.data.newName });
    case 'UserDeactivated':
      return next({ active: false });
    case 'UserReactivated':
      return next({ active: true });
    case 'UserForgotten':
      // The address and the name go: the stored recipient keeps no personal data of a forgotten user.
      return next({ email: null, name: null });
    default:
      return assertNever(event);
  }
}
