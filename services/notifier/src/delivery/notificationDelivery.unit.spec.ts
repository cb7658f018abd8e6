import { UncertainDelivery } from '../ledger/ledgerDecision';
import type { Notification } from '../notifications/notification';
import { notificationsFor } from '../notifications/notificationsFor';
import {
  Crash,
  FakeRelay,
  fakeDelivery,
  fakeTime,
  InMemoryLedger,
  RecordingDeadLetters,
  testPolicy,
} from '../testing/fakes';
import { userStream } from '../testing/userEvents';

const origin = { topic: 'users.events', partition: 3, offset: '42' };

function setup() {
  const time = fakeTime();
  const parts = {
    ledger: new InMemoryLedger(),
    relay: new FakeRelay(),
    deadLetters: new RecordingDeadLetters(),
    clock: time.clock,
  };
  const ada = userStream(undefined, time.clock);
  const welcome = notificationsFor(ada.registered('Ada', 'ada@example.com'), null)[0]!;
  return { time, parts, welcome, start: (o = {}) => fakeDelivery(parts, o) };
}

/** Delivers, playing a process that may be killed: a Crash ends this "process"; the caller starts another. */
async function deliverSurvivingCrash(
  s: ReturnType<typeof setup>,
  n: Notification,
  overrides = {},
): Promise<string> {
  try {
    return await s.start(overrides).delivery.deliver(n, origin, s.time.control);
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
    s.time.advance(5000); // the restart takes a while: longer than the settle time
    return s.start(overrides).delivery.deliver(n, origin, s.time.control);
  }
}

describe('delivering a notification exactly once in effect', () => {
  it('sends once and records it; a redelivery sends nothing and counts a suppressed duplicate', async () => {
    const s = setup();
    const { delivery, count } = s.start();
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('sent');
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('suppressed');
    expect(s.parts.relay.delivered).toEqual([s.welcome.messageId]);
    expect(s.parts.ledger.entries.get(s.welcome.key)).toMatchObject({
      status: 'sent',
      attempts: 1,
      confirmedBy: 'smtp-reply',
      inFlight: null,
    });
    expect(await count('eventfold_notifier_emails_sent_total', { template: 'welcome' })).toBe(1);
    expect(await count('eventfold_notifier_duplicates_suppressed_total', { template: 'welcome' })).toBe(1);
  });

  it('killed after the relay accepted but before the ledger said so: the next process asks the relay and sends nothing', async () => {
    const s = setup();
    s.parts.relay.script.push({ kind: 'crash-after-accept' });
    expect(await deliverSurvivingCrash(s, s.welcome)).toBe('sent');
    expect(s.parts.relay.delivered).toEqual([s.welcome.messageId]);
    expect(s.parts.relay.submissions).toBe(1);
    expect(s.parts.ledger.entries.get(s.welcome.key)).toMatchObject({
      status: 'sent',
      confirmedBy: 'relay-lookup',
    });
  });

  it('killed after the commit point but before the terminator: the relay has nothing, the next process sends it once', async () => {
    const s = setup();
    s.parts.relay.script.push({ kind: 'crash-before-terminator' });
    expect(await deliverSurvivingCrash(s, s.welcome)).toBe('sent');
    expect(s.parts.relay.delivered).toEqual([s.welcome.messageId]);
    expect(s.parts.ledger.entries.get(s.welcome.key)).toMatchObject({
      status: 'sent',
      attempts: 2,
      confirmedBy: 'smtp-reply',
    });
  });

  it('with a relay that cannot be asked, presumes delivery (at most once) by default', async () => {
    const s = setup();
    s.parts.relay.blind = true;
    s.parts.relay.script.push({ kind: 'crash-after-accept' });
    expect(await deliverSurvivingCrash(s, s.welcome)).toBe('sent');
    expect(s.parts.relay.delivered).toHaveLength(1);
    expect(s.parts.ledger.entries.get(s.welcome.key)).toMatchObject({
      status: 'sent',
      confirmedBy: 'presumed',
    });
  });

  it('with a relay that cannot be asked and MAIL_UNCERTAIN_DELIVERY=resend, sends again with the same Message-ID', async () => {
    const s = setup();
    s.parts.relay.blind = true;
    s.parts.relay.script.push({ kind: 'crash-after-accept' });
    expect(
      await deliverSurvivingCrash(s, s.welcome, {
        policy: { ...testPolicy, uncertain: UncertainDelivery.Resend },
      }),
    ).toBe('sent');
    // The trade-off this policy makes: a duplicate that receivers can discard by its Message-ID.
    expect(s.parts.relay.delivered).toEqual([s.welcome.messageId, s.welcome.messageId]);
  });

  it('never sends while a lost reply is settling, then asks the relay', async () => {
    const s = setup();
    s.parts.relay.script.push({ kind: 'lose-reply', deliver: true });
    const { delivery, count } = s.start();
    const started = s.time.clock();
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('sent');
    expect(s.time.clock() - started).toBeGreaterThanOrEqual(testPolicy.settleMs);
    expect(s.parts.relay.delivered).toHaveLength(1);
    expect(
      await count('eventfold_notifier_uncertain_deliveries_total', { resolution: 'relay-accepted' }),
    ).toBe(1);

    const t = setup();
    t.parts.relay.script.push({ kind: 'lose-reply', deliver: false });
    const second = t.start();
    expect(await second.delivery.deliver(t.welcome, origin, t.time.control)).toBe('sent');
    expect(t.parts.relay.delivered).toHaveLength(1);
    expect(t.parts.relay.submissions).toBe(2);
    expect(
      await second.count('eventfold_notifier_uncertain_deliveries_total', { resolution: 'relay-missing' }),
    ).toBe(1);
  });

  it('retries 4xx refusals with exponential backoff, before and after the commit point', async () => {
    const s = setup();
    s.parts.relay.script.push(
      { kind: 'reject', responseCode: 451, at: 'rcpt' },
      { kind: 'reject', responseCode: 451, at: 'end-of-data' },
    );
    const { delivery, count } = s.start();
    const started = s.time.clock();
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('sent');
    // random() = 0.5: 75 ms after the first failure, 150 ms after the second.
    expect(s.time.clock() - started).toBe(225);
    expect(s.parts.relay.delivered).toHaveLength(1);
    expect(s.parts.ledger.entries.get(s.welcome.key)).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: { responseCode: 451 },
    });
    expect(
      await count('eventfold_notifier_emails_retried_total', { template: 'welcome', reason: 'smtp-4xx' }),
    ).toBe(2);
  });

  it('waits for a relay it cannot reach without using up attempts: an outage dead-letters nothing', async () => {
    const s = setup();
    for (let i = 0; i < 3 * testPolicy.maxAttempts; i++) s.parts.relay.script.push({ kind: 'down' });
    const { delivery, count } = s.start();
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('sent');
    expect(s.parts.relay.delivered).toEqual([s.welcome.messageId]);
    expect(s.parts.deadLetters.letters).toEqual([]);
    expect(s.parts.ledger.entries.get(s.welcome.key)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await count('eventfold_notifier_emails_retried_total', { reason: 'relay-unavailable' })).toBe(12);
  });

  it('dead-letters a 5xx at once, and a replay neither sends nor dead-letters it again', async () => {
    const s = setup();
    s.parts.relay.script.push({ kind: 'reject', responseCode: 550, at: 'rcpt' });
    const { delivery, count } = s.start();
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('dead-lettered');
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('suppressed');
    expect(s.parts.relay.submissions).toBe(1);
    expect(s.parts.deadLetters.letters).toEqual([
      expect.objectContaining({
        eventId: s.welcome.source.eventId,
        template: 'welcome',
        reason: 'permanent',
        attempts: 1,
        error: expect.objectContaining({ responseCode: 550 }),
        source: origin,
      }),
    ]);
    expect(JSON.stringify(s.parts.deadLetters.letters)).not.toContain('ada@example.com');
    expect(await count('eventfold_notifier_emails_dead_lettered_total', { reason: 'permanent' })).toBe(1);
  });

  it('dead-letters after the last allowed attempt failed transiently', async () => {
    const s = setup();
    for (let i = 0; i < testPolicy.maxAttempts; i++)
      s.parts.relay.script.push({ kind: 'reject', responseCode: 421 });
    const { delivery, count } = s.start();
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('dead-lettered');
    expect(s.parts.relay.submissions).toBe(testPolicy.maxAttempts);
    expect(s.parts.deadLetters.letters[0]).toMatchObject({ reason: 'attempts-exhausted', attempts: 4 });
    expect(await count('eventfold_notifier_emails_retried_total')).toBe(testPolicy.maxAttempts - 1);
  });

  it('sends nothing when the commit point cannot be recorded, and sends once when the ledger is back', async () => {
    const s = setup();
    const save = s.parts.ledger.save.bind(s.parts.ledger);
    let ledgerDown = true;
    s.parts.ledger.save = async (previous, next) => {
      if (ledgerDown) {
        await save(previous, next); // the write lands, but its acknowledgement is lost
        throw new Error('connection to MongoDB lost');
      }
      return save(previous, next);
    };
    const { delivery } = s.start();
    await expect(delivery.deliver(s.welcome, origin, s.time.control)).rejects.toThrow('MongoDB');
    expect(s.parts.relay.delivered).toEqual([]);
    ledgerDown = false;
    // The same process remembers that its in-flight attempt never wrote the terminator: no need to ask the relay.
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('sent');
    expect(s.parts.relay.delivered).toEqual([s.welcome.messageId]);
  });

  it('dead-letters a notice for a user whose address it never learnt', async () => {
    const s = setup();
    const ada = userStream();
    ada.registered('Ada', 'ada@example.com');
    const notice = notificationsFor(ada.nameChanged('Ada K'), null)[0]!;
    expect(await s.start().delivery.deliver(notice, origin, s.time.control)).toBe('dead-lettered');
    expect(s.parts.deadLetters.letters[0]).toMatchObject({
      reason: 'no-recipient',
      template: 'name-changed',
    });
    expect(s.parts.relay.submissions).toBe(0);
  });

  it('does not mail the history: events older than the age limit are skipped (unless already in the ledger)', async () => {
    const s = setup();
    s.time.advance(10_000);
    const { delivery, count } = s.start({ maxEventAgeMs: 5000 });
    expect(await delivery.deliver(s.welcome, origin, s.time.control)).toBe('skipped');
    expect(s.parts.relay.submissions).toBe(0);
    expect(await count('eventfold_notifier_notifications_skipped_total')).toBe(1);
  });

  it('a kill at any point of any attempt, under refusals, never delivers twice and always delivers once', async () => {
    const behaviours = [
      { kind: 'crash-after-accept' },
      { kind: 'crash-before-terminator' },
      { kind: 'reject', responseCode: 451 },
      { kind: 'reject', responseCode: 451, at: 'rcpt' },
      { kind: 'lose-reply', deliver: true },
      { kind: 'lose-reply', deliver: false },
      { kind: 'accept' },
    ] as const;
    for (const first of behaviours) {
      for (const second of behaviours) {
        const s = setup();
        s.parts.relay.script.push(first, second);
        let result = 'crashed';
        for (let run = 0; run < 4 && result === 'crashed'; run++) {
          result = await s
            .start()
            .delivery.deliver(s.welcome, origin, s.time.control)
            .catch((error: unknown) => {
              if (!(error instanceof Crash)) throw error;
              s.time.advance(5000);
              return 'crashed';
            });
        }
        expect({
          first: first.kind,
          second: second.kind,
          result,
          delivered: s.parts.relay.delivered.length,
        }).toEqual({
          first: first.kind,
          second: second.kind,
          result: 'sent',
          delivered: 1,
        });
      }
    }
  });
});
