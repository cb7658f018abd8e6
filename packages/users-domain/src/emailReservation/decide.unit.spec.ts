import { ConflictError, deciderSpec, fold, ValidationError } from '@eventfold/core';
import { metadata, userId } from '../testing/fixtures';
import type { EmailReservationCommand } from './commands';
import { emailReservationDecider } from './decider';
import { EmailReservationErrorCode } from './errorCodes';
import type { EmailReservationEvent } from './events';
import { expiredClaims } from './expiredClaim';

const spec = deciderSpec(emailReservationDecider);
const other = '6ba7b810-9dad-41d1-80b4-00c04fd430c8';

const command = <T extends EmailReservationCommand['type']>(
  type: T,
  data: Extract<EmailReservationCommand, { type: T }>['data'],
): EmailReservationCommand => ({ type, data, metadata }) as EmailReservationCommand;

const reserved = (holder: string, claimId = 'claim-1'): EmailReservationEvent => ({
  type: 'EmailReserved',
  data: { userId: holder, claimId, reservedAt: metadata.now },
});
const confirmed = (holder: string, claimId = 'claim-1', userVersion = 1): EmailReservationEvent => ({
  type: 'EmailReservationConfirmed',
  data: { userId: holder, claimId, userVersion },
});
const released = (holder: string, userVersion: number): EmailReservationEvent => ({
  type: 'EmailReleased',
  data: { userId: holder, claimId: null, userVersion },
});
const expired = (holder: string, claimId = 'claim-1'): EmailReservationEvent => ({
  type: 'EmailReleased',
  data: { userId: holder, claimId, userVersion: null },
});

describe('ReserveEmail', () => {
  it('reserves a free address for the user, timed by the command', () => {
    spec
      .given([])
      .when(command('ReserveEmail', { userId, claimId: 'claim-1' }))
      .then([reserved(userId)]);
  });

  it('refuses an address another user reserved or holds, and says nothing of who (409 EMAIL_TAKEN)', () => {
    const reserve = command('ReserveEmail', { userId, claimId: 'claim-2' });
    const error = spec
      .given([reserved(other)])
      .when(reserve)
      .thenThrows(ConflictError, EmailReservationErrorCode.Taken);
    expect(error.message).not.toContain(other);
    spec
      .given([reserved(other), confirmed(other)])
      .when(reserve)
      .thenThrows(ConflictError, 'EMAIL_TAKEN');
  });

  it('is a no-op for the same claim again (a retry)', () => {
    spec
      .given([reserved(userId)])
      .when(command('ReserveEmail', { userId, claimId: 'claim-1' }))
      .then([]);
  });

  it('adds a claim of the user that already holds it: the claim keeps the address held until it ends', () => {
    spec
      .given([reserved(userId), confirmed(userId)])
      .when(command('ReserveEmail', { userId, claimId: 'claim-2' }))
      .then([reserved(userId, 'claim-2')]);
  });

  it('reserves an address again once its holder released it', () => {
    spec
      .given([reserved(other), confirmed(other), released(other, 2)])
      .when(command('ReserveEmail', { userId, claimId: 'claim-1' }))
      .then([reserved(userId)]);
  });

  it('refuses a user id that is not one', () => {
    spec
      .given([])
      .when(command('ReserveEmail', { userId: 'nobody', claimId: 'claim-1' }))
      .thenThrows(ValidationError, 'INVALID_USER_ID');
  });
});

describe('ConfirmEmail', () => {
  it('confirms the claim of its user, as of the user event', () => {
    spec
      .given([reserved(userId)])
      .when(command('ConfirmEmail', { userId, claimId: 'claim-1', userVersion: 1 }))
      .then([confirmed(userId)]);
  });

  it('is a no-op when that claim is confirmed already', () => {
    spec
      .given([reserved(userId), confirmed(userId)])
      .when(command('ConfirmEmail', { userId, claimId: 'claim-1', userVersion: 1 }))
      .then([]);
  });

  it('refuses to confirm for a user that holds no reservation of the address', () => {
    const confirm = command('ConfirmEmail', { userId, claimId: 'claim-1', userVersion: 1 });
    spec.given([]).when(confirm).thenThrows(ConflictError, 'EMAIL_NOT_RESERVED');
    spec
      .given([reserved(other)])
      .when(confirm)
      .thenThrows(ConflictError, 'EMAIL_NOT_RESERVED');
  });
});

describe('ReleaseEmail', () => {
  it('releases what the user event confirmed before the releasing one', () => {
    spec
      .given([reserved(userId), confirmed(userId)])
      .when(command('ReleaseEmail', { userId, userVersion: 2 }))
      .then([released(userId, 2)]);
  });

  it('keeps an address the user claimed again before the release of its old holding arrived', () => {
    const history = [reserved(userId), confirmed(userId, 'claim-1', 1), reserved(userId, 'claim-3')];
    // v2 moved away from the address, v3 (claim-3) came back to it: the release of v2 must not free it.
    spec
      .given(history)
      .when(command('ReleaseEmail', { userId, userVersion: 2 }))
      .then([released(userId, 2)]);
    expect(fold(emailReservationDecider, [...history, released(userId, 2)])).toMatchObject({
      status: 'held',
      userId,
    });
    spec
      .given([...history, confirmed(userId, 'claim-3', 3)])
      .when(command('ReleaseEmail', { userId, userVersion: 2 }))
      .then([]);
  });

  it("changes nothing for a user that does not hold it: a late release cannot free another user's address", () => {
    spec
      .given([])
      .when(command('ReleaseEmail', { userId, userVersion: 2 }))
      .then([]);
    spec
      .given([reserved(userId), expired(userId), reserved(other), confirmed(other)])
      .when(command('ReleaseEmail', { userId, userVersion: 5 }))
      .then([]);
  });
});

describe('ExpireEmailReservation', () => {
  it('releases the pending reservation of that claim', () => {
    spec
      .given([reserved(userId)])
      .when(command('ExpireEmailReservation', { claimId: 'claim-1' }))
      .then([expired(userId)]);
  });

  it("leaves a confirmed address and another claim's reservation alone", () => {
    const expire = command('ExpireEmailReservation', { claimId: 'claim-1' });
    spec
      .given([reserved(userId), confirmed(userId)])
      .when(expire)
      .then([]);
    spec
      .given([reserved(userId), expired(userId), reserved(other, 'claim-2')])
      .when(expire)
      .then([]);
    // The user's second claim to an address it holds ends refused: the address stays the user's.
    expect(
      fold(emailReservationDecider, [
        reserved(userId),
        confirmed(userId),
        reserved(userId, 'claim-2'),
        expired(userId, 'claim-2'),
      ]),
    ).toEqual({ status: 'held', userId, pending: [], confirmedAtVersion: 1 });
  });
});

describe('expiredClaims', () => {
  const timeout = 30_000;

  it('names a pending claim once its timeout has passed, not before', () => {
    const state = fold(emailReservationDecider, [reserved(userId, 'claim-1')]);
    expect(expiredClaims(state, metadata.now + timeout - 1, timeout)).toEqual([]);
    expect(expiredClaims(state, metadata.now + timeout, timeout)).toEqual(['claim-1']);
  });

  it('names nothing for a free or confirmed address', () => {
    const later = metadata.now + 10 * timeout;
    expect(expiredClaims(fold(emailReservationDecider, []), later, timeout)).toEqual([]);
    expect(
      expiredClaims(fold(emailReservationDecider, [reserved(userId), confirmed(userId)]), later, timeout),
    ).toEqual([]);
  });
});
