import { MongoClient } from 'mongodb';
import { randomName, testEndpoints } from '@eventfold/testing';
import { LedgerConflictError } from './ledger';
import { accepted, committed, deadLettered, failed } from './ledgerDecision';
import { Confirmation, type LedgerSubject } from './ledgerEntry';
import { MongoLedger } from './mongoLedger';

describe('the ledger in MongoDB (FerretDB locally)', () => {
  const client = new MongoClient(testEndpoints().mongoShards[0]!);
  const db = client.db(randomName('ledger'));
  const subject: LedgerSubject = {
    key: 'e1:welcome',
    eventId: 'e1',
    template: 'welcome',
    streamId: 'user-1',
    eventVersion: 1,
    messageId: '<e1.welcome@eventfold>',
  };
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('keeps an entry through its states, times and all', async () => {
    const ledger = await MongoLedger.open(db);
    const t0 = Date.UTC(2026, 10, 26, 12);
    const first = await ledger.save(null, committed(null, subject, 1, 'sub-1', t0));
    expect(await ledger.find(subject.key)).toEqual(first);
    const error = { code: 'EMESSAGE', message: '451 later', responseCode: 451 };
    const second = await ledger.save(first, failed(first, subject, 1, error, t0 + 5, t0 + 500));
    const third = await ledger.save(second, committed(second, subject, 2, 'sub-2', t0 + 600));
    const sent = await ledger.save(third, accepted(third, 2, t0 + 610, Confirmation.SmtpReply));
    expect(await ledger.find(subject.key)).toEqual(sent);
    expect(sent).toMatchObject({
      status: 'sent',
      attempts: 2,
      sentAt: t0 + 610,
      lastError: error,
      revision: 4,
    });
    const stored = await db.collection('ledger').findOne({ _id: subject.key as never });
    expect(stored?.sentAt).toEqual(new Date(t0 + 610));
    expect(await ledger.find('nothing:here')).toBeNull();
  });

  it('refuses a write based on a stale read, and a second first write', async () => {
    const ledger = await MongoLedger.open(db);
    const other = { ...subject, key: 'e2:welcome', eventId: 'e2' };
    const first = await ledger.save(null, committed(null, other, 1, 'a', 1));
    await expect(ledger.save(null, committed(null, other, 1, 'b', 1))).rejects.toBeInstanceOf(
      LedgerConflictError,
    );
    await ledger.save(first, accepted(first, 1, 2, Confirmation.SmtpReply));
    await expect(ledger.save(first, accepted(first, 1, 3, Confirmation.SmtpReply))).rejects.toBeInstanceOf(
      LedgerConflictError,
    );
  });

  it('reopens a notification it gave up on (for a redrive), and only such a one', async () => {
    const ledger = await MongoLedger.open(db);
    const dead = { ...subject, key: 'e3:welcome', eventId: 'e3' };
    const sent = { ...subject, key: 'e4:welcome', eventId: 'e4' };
    const error = { code: 'EMESSAGE', message: '550 no such user', responseCode: 550 };
    await ledger.save(null, deadLettered(null, dead, 1, error, 1));
    const first = await ledger.save(null, committed(null, sent, 1, 'a', 1));
    await ledger.save(first, accepted(first, 1, 2, Confirmation.SmtpReply));

    expect(await ledger.reopen(dead.key)).toBe(true);
    expect(await ledger.find(dead.key)).toBeNull();
    expect(await ledger.reopen(sent.key)).toBe(false);
    expect(await ledger.find(sent.key)).toMatchObject({ status: 'sent' });
    expect(await ledger.reopen('never:seen')).toBe(false);
  });
});
