import type { LoggedStreamEvent } from '@eventfold/command-service/testing';
import {
  evolve,
  evolveEmailReservation,
  initialEmailReservationState,
  initialUserState,
  isEmailStreamId,
  type EmailReservationState,
  type RecordedEmailReservationEvent,
  type RecordedUserEvent,
  type UserState,
} from '@eventfold/users-domain';

/** What the log says at its end: each reservation stream's holder and each user's state (decision 0016). */
export interface EmailHoldings {
  readonly reservations: ReadonlyMap<string, EmailReservationState>;
  readonly users: ReadonlyMap<string, UserState>;
  /** A reservation or confirmation for a user while another user held the address: two holders at once. */
  readonly overlaps: readonly string[];
}

/** Folds every stream of the log (each stream lives in one partition, so the log keeps each stream's order). */
export function emailHoldingsOf(log: readonly LoggedStreamEvent[]): EmailHoldings {
  const reservations = new Map<string, EmailReservationState>();
  const users = new Map<string, UserState>();
  const overlaps: string[] = [];
  for (const { event } of log) {
    const { streamId, version } = event.metadata;
    if (isEmailStreamId(streamId)) {
      const e = event as RecordedEmailReservationEvent;
      const before = reservations.get(streamId) ?? initialEmailReservationState();
      if (before.status === 'held' && e.type !== 'EmailReleased' && e.data.userId !== before.userId)
        overlaps.push(
          `${streamId} v${version}: ${e.type} for ${e.data.userId} while ${before.userId} holds it`,
        );
      reservations.set(streamId, evolveEmailReservation(before, e));
    } else {
      users.set(streamId, evolve(users.get(streamId) ?? initialUserState(), event as RecordedUserEvent));
    }
  }
  return { reservations, users, overlaps };
}

/** The address a user has now, or null (not registered, or forgotten). */
export const currentEmail = (state: UserState | undefined): string | null =>
  state && state.status !== 'not-registered' && !state.forgotten ? state.email : null;

/**
 * The invariants of decision 0016 at the end of a run, as problems (none when they hold): no address held by two
 * users, each user's address reserved (and confirmed) by that user, and no reservation left that its user does not
 * have (a pending claim, or a holding of an address the user moved away from).
 */
export function emailHoldingProblems(
  { reservations, users, overlaps }: EmailHoldings,
  emailStreamOf: (email: string) => string,
): string[] {
  const problems = [...overlaps];
  const owners = new Map<string, string[]>();
  for (const [streamId, state] of users) {
    const email = currentEmail(state);
    if (email === null || state.status === 'not-registered') continue;
    const emailStream = emailStreamOf(email);
    owners.set(emailStream, [...(owners.get(emailStream) ?? []), state.userId]);
    const reservation = reservations.get(emailStream);
    if (reservation?.status !== 'held' || reservation.userId !== state.userId)
      problems.push(`${streamId} has ${email}, which ${emailStream} does not reserve for it`);
    else if (reservation.confirmedAtVersion === null)
      problems.push(`${streamId} has ${email}, reserved but never confirmed`);
  }
  for (const [emailStream, userIds] of owners)
    if (userIds.length > 1) problems.push(`${emailStream} is the address of ${userIds.join(', ')}`);
  for (const [emailStream, state] of reservations) {
    if (state.status !== 'held') continue;
    if (state.pending.length > 0)
      problems.push(
        `${emailStream} still has pending claims ${state.pending.map((p) => p.claimId).join(', ')}`,
      );
    const email = currentEmail(
      [...users.values()].find((u) => u.status !== 'not-registered' && u.userId === state.userId),
    );
    if (email === null || emailStreamOf(email) !== emailStream)
      problems.push(`${emailStream} is held by ${state.userId}, whose address is ${email ?? 'none'}`);
  }
  return problems;
}
