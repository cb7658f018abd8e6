import { ConflictError, deciderSpec, fold, ValidationError } from '@eventfold/core';
import { metadata, userId } from '../testing/fixtures';
import type { EmailReservationCommand } from './commands';
import { emailReservationDecider } from './decider';
import { EmailReservationErrorCode } from './errorCodes';
import type { EmailReservationEvent } from './events';
import { expiredClaim } from './expiredClaim';

const spec = deciderSpec(emailReservationDecider);
const other = '6ba7b810-9dad-41d1-80b4-00c04fd430c8';

const command = <T extends EmailReservationCommand['type']>(
  type: T,
  data: Extract<EmailReservationCommand, { type: T }>['data'],
): EmailReservationCommand => ({ type, data, metadata }) as EmailReservationCommand;

const reservedBy = (holder: string, claimId = 'claim-1'): EmailReservationEvent => ({
  type: 'EmailReserved',
  data: { userId: holder, claimId, reservedAt: metadata.now },
});
const confirmedBy = (holder: string): EmailReservationEvent => ({
  type: 'EmailReservationConfirmed',
  data: { userId: holder },
});
const releasedBy = (holder: string): EmailReservationEvent => ({
  type: 'EmailReleased',
  data: { userId: holder },
});

describe('ReserveEmail', () => {
  it('reserves a free address for the user, timed by the command', () => {
    spec
      .given([])
      .when(command('ReserveEmail', { userId, claimId: 'claim-1' }))
      .then([reservedBy(userId)]);
  });

  it('refuses an address another user reserved, and says nothing of who (409 EMAIL_TAKEN)', () => {
    const error = spec
      .given([reservedBy(other)])
      .when(command('ReserveEmail', { userId, claimId: 'claim-2' }))
      .thenThrows(ConflictError, EmailReservationErrorCode.Taken);
    expect(error.message).not.toContain(other);
  });

  it('refuses an address another user holds for good', () => {
    spec
      .given([reservedBy(other), confirmedBy(other)])
      .when(command('ReserveEmail', { userId, claimId: 'claim-2' }))
      .thenThrows(ConflictError, EmailReservationErrorCode.Taken);
  });

  it('is a no-op for the user that already reserved or holds it (a retry)', () => {
    const again = command('ReserveEmail', { userId, claimId: 'claim-2' });
    spec
      .given([reservedBy(userId)])
      .when(again)
      .then([]);
    spec
      .given([reservedBy(userId), confirmedBy(userId)])
      .when(again)
      .then([]);
  });

  it('reserves an address again once its holder released it', () => {
    spec
      .given([reservedBy(other), confirmedBy(other), releasedBy(other)])
      .when(command('ReserveEmail', { userId, claimId: 'claim-1' }))
      .then([reservedBy(userId)]);
  });

  it('refuses a user id that is not one', () => {
    spec
      .given([])
      .when(command('ReserveEmail', { userId: 'nobody', claimId: 'claim-1' }))
      .thenThrows(ValidationError, 'INVALID_USER_ID');
  });
});

describe('ConfirmEmail', () => {
  it('confirms the reservation of its user', () => {
    spec
      .given([reservedBy(userId)])
      .when(command('ConfirmEmail', { userId }))
      .then([confirmedBy(userId)]);
  });

  it('is a no-op when already confirmed for the user', () => {
    spec
      .given([reservedBy(userId), confirmedBy(userId)])
      .when(command('ConfirmEmail', { userId }))
      .then([]);
  });

  it('refuses to confirm for a user that holds no reservation of the address', () => {
    spec.given([]).when(command('ConfirmEmail', { userId })).thenThrows(ConflictError, 'EMAIL_NOT_RESERVED');
    spec
      .given([reservedBy(other)])
      .when(command('ConfirmEmail', { userId }))
      .thenThrows(ConflictError, 'EMAIL_NOT_RESERVED');
  });
});

describe('ReleaseEmail', () => {
  it('releases a reservation or a confirmed address of its holder', () => {
    spec
      .given([reservedBy(userId)])
      .when(command('ReleaseEmail', { userId }))
      .then([releasedBy(userId)]);
    spec
      .given([reservedBy(userId), confirmedBy(userId)])
      .when(command('ReleaseEmail', { userId }))
      .then([releasedBy(userId)]);
  });

  it("changes nothing for a user that does not hold it: a late release cannot free another user's address", () => {
    spec.given([]).when(command('ReleaseEmail', { userId })).then([]);
    spec
      .given([reservedBy(userId), releasedBy(userId), reservedBy(other), confirmedBy(other)])
      .when(command('ReleaseEmail', { userId }))
      .then([]);
  });
});

describe('ExpireEmailReservation', () => {
  it('releases the unconfirmed reservation of that claim', () => {
    spec
      .given([reservedBy(userId, 'claim-1')])
      .when(command('ExpireEmailReservation', { claimId: 'claim-1' }))
      .then([releasedBy(userId)]);
  });

  it("leaves a confirmed address and another claim's reservation alone", () => {
    const expire = command('ExpireEmailReservation', { claimId: 'claim-1' });
    spec
      .given([reservedBy(userId, 'claim-1'), confirmedBy(userId)])
      .when(expire)
      .then([]);
    spec
      .given([reservedBy(userId, 'claim-1'), releasedBy(userId), reservedBy(other, 'claim-2')])
      .when(expire)
      .then([]);
  });
});

describe('expiredClaim', () => {
  const timeout = 30_000;

  it('names an unconfirmed reservation once its timeout has passed, not before', () => {
    const state = fold(emailReservationDecider, [reservedBy(userId, 'claim-1')]);
    expect(expiredClaim(state, metadata.now + timeout - 1, timeout)).toBeNull();
    expect(expiredClaim(state, metadata.now + timeout, timeout)).toBe('claim-1');
  });

  it('names nothing for a free or confirmed address', () => {
    const later = metadata.now + 10 * timeout;
    expect(expiredClaim(fold(emailReservationDecider, []), later, timeout)).toBeNull();
    expect(
      expiredClaim(fold(emailReservationDecider, [reservedBy(userId), confirmedBy(userId)]), later, timeout),
    ).toBeNull();
  });
});
