import {
  accepted,
  committed,
  deadLettered,
  failed,
  nextStep,
  resolveUncertain,
  UncertainDelivery,
  type DeliveryPolicy,
} from './ledgerDecision';
import { Confirmation, LedgerStatus, type LedgerSubject } from './ledgerEntry';

const policy: DeliveryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  settleMs: 2000,
  uncertain: UncertainDelivery.AssumeSent,
};
const subject: LedgerSubject = {
  key: 'e1:welcome',
  eventId: 'e1',
  template: 'welcome',
  streamId: 'user-1',
  eventVersion: 1,
  messageId: '<e1.welcome@eventfold>',
};
const t0 = 1_000_000;
const error = { code: 'EMESSAGE', message: '451 try later', responseCode: 451 };

describe('the ledger decision', () => {
  it('sends the first attempt when the ledger has never heard of the notification', () => {
    expect(nextStep(null, t0, policy)).toEqual({ kind: 'send', attempt: 1 });
  });

  it('suppresses a notification that was sent or dead-lettered: nothing is sent twice', () => {
    const inFlight = committed(null, subject, 1, 's1', t0);
    const sent = accepted(inFlight, 1, t0 + 5, Confirmation.SmtpReply);
    expect(sent).toMatchObject({ status: LedgerStatus.Sent, attempts: 1, inFlight: null, sentAt: t0 + 5 });
    expect(nextStep(sent, t0 + 10, policy)).toEqual({ kind: 'suppress', status: 'sent' });
    const dead = deadLettered(null, subject, 1, error, t0);
    expect(dead).toMatchObject({ status: LedgerStatus.Dead, attempts: 1, deadLetteredAt: t0 });
    expect(nextStep(dead, t0 + 10, policy)).toEqual({ kind: 'suppress', status: 'dead' });
  });

  it('never sends again while an attempt past its commit point is unsettled; asks once it has settled', () => {
    const inFlight = committed(null, subject, 1, 's1', t0);
    expect(inFlight).toMatchObject({ status: LedgerStatus.Pending, attempts: 1, inFlight: { attempt: 1 } });
    expect(nextStep(inFlight, t0 + 500, policy)).toEqual({ kind: 'settle', until: t0 + 2000 });
    expect(nextStep(inFlight, t0 + 2000, policy)).toEqual({ kind: 'resolve', attempt: 1, committedAt: t0 });
  });

  it('waits out the backoff of a failed attempt, then sends the next one', () => {
    const once = failed(null, subject, 1, error, t0, t0 + 100);
    expect(once).toMatchObject({ attempts: 1, nextAttemptAt: t0 + 100, lastError: error, inFlight: null });
    expect(nextStep(once, t0 + 50, policy)).toEqual({ kind: 'wait', until: t0 + 100 });
    expect(nextStep(once, t0 + 100, policy)).toEqual({ kind: 'send', attempt: 2 });
  });

  it('dead-letters once every allowed attempt has failed', () => {
    let entry = failed(null, subject, 1, error, t0, t0);
    entry = failed(committed(entry, subject, 2, 's2', t0), subject, 2, error, t0, t0);
    expect(nextStep(entry, t0, policy)).toEqual({ kind: 'send', attempt: 3 });
    entry = failed(committed(entry, subject, 3, 's3', t0), subject, 3, error, t0, t0 + 100);
    expect(nextStep(entry, t0 + 100, policy)).toEqual({ kind: 'dead-letter' });
  });

  it('counts every write in the revision (what a conditional write checks)', () => {
    const a = committed(null, subject, 1, 's1', t0);
    const b = failed(a, subject, 1, error, t0, t0);
    const c = accepted(committed(b, subject, 2, 's2', t0), 2, t0, Confirmation.SmtpReply);
    expect([a.revision, b.revision, c.revision]).toEqual([1, 2, 4]);
    expect(c.createdAt).toBe(t0);
  });

  it.each([
    ['accepted', UncertainDelivery.AssumeSent, { kind: 'sent', by: Confirmation.RelayLookup }],
    ['accepted', UncertainDelivery.Resend, { kind: 'sent', by: Confirmation.RelayLookup }],
    ['missing', UncertainDelivery.AssumeSent, { kind: 'not-sent' }],
    ['missing', UncertainDelivery.Resend, { kind: 'not-sent' }],
    ['unknown', UncertainDelivery.AssumeSent, { kind: 'sent', by: Confirmation.Presumed }],
    ['unknown', UncertainDelivery.Resend, { kind: 'not-sent' }],
  ] as const)('settles a lost reply the relay answers %s for, under %s', (answer, uncertain, resolution) => {
    expect(resolveUncertain(answer, uncertain)).toEqual(resolution);
  });
});
