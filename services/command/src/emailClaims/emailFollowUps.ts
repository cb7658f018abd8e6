import { ERASED } from '@eventfold/core';
import type { EmailReservationCommand, RecordedUserEvent, UserState } from '@eventfold/users-domain';
import type { IncomingCommand } from '../processing/streamCommands';
import type { EmailStreamOf } from './emailStreamIds';

export type FollowUp = Omit<IncomingCommand, 'homePartition'> & { readonly command: EmailReservationCommand };

/**
 * The reservation commands a user's events call for, written by the user's partition owner in the same
 * transaction as the events (decision 0016): a registration or a new address confirms its reservation, the old
 * address and a forgotten user's address are released. Pure; command ids follow from the event ids, so the same
 * events always give the same follow-ups.
 */
export function emailFollowUps(
  before: UserState,
  events: readonly RecordedUserEvent[],
  emailStreamOf: EmailStreamOf,
): FollowUp[] {
  let held = before.status !== 'not-registered' && !before.forgotten ? before.email : null;
  const followUps: FollowUp[] = [];
  for (const event of events) {
    const m = event.metadata;
    const followUp = (email: string, type: 'ConfirmEmail' | 'ReleaseEmail', userId: string): FollowUp => ({
      streamId: emailStreamOf(email),
      expectedVersion: null,
      // The claim is the command that caused the event; the version orders confirmations and releases.
      command: {
        ...(type === 'ConfirmEmail'
          ? { type, data: { userId, claimId: m.causationId, userVersion: m.version } }
          : { type, data: { userId, userVersion: m.version } }),
        metadata: {
          commandId: `${m.eventId}/${type}`,
          now: m.occurredAt,
          actor: m.actor,
          correlationId: m.correlationId,
          causationId: m.eventId,
        },
      },
      requestFingerprint: null,
    });
    switch (event.type) {
      case 'UserRegistered':
      case 'UserImported':
        held = event.data.email;
        followUps.push(followUp(held, 'ConfirmEmail', event.data.userId));
        break;
      case 'UserEmailChanged':
        held = event.data.newEmail;
        followUps.push(followUp(held, 'ConfirmEmail', event.data.userId));
        if (event.data.oldEmail !== ERASED)
          followUps.push(followUp(event.data.oldEmail, 'ReleaseEmail', event.data.userId));
        break;
      case 'UserForgotten':
        // The address is known only now: the release carries the stream id and the user id, never the address.
        if (held !== null && held !== ERASED)
          followUps.push(followUp(held, 'ReleaseEmail', event.data.userId));
        held = null;
        break;
      default:
        // Names, deactivation and reactivation leave the address where it is (reactivation needs it).
        break;
    }
  }
  return followUps;
}
