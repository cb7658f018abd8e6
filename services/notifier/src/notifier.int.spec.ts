import { MongoClient } from 'mongodb';
import { writeSinkFaults } from '@eventfold/infra';
import { randomName, testEndpoints, testKafka, waitFor, withTestAdmin } from '@eventfold/testing';
import { readEventLog, send, startTestCommandService } from '@eventfold/command-service/testing';
import { notificationsDlqTopic, notifierGroupId } from './kafkaNames';
import { eventWriter } from './testing/eventWriter';
import { mailboxSince } from './testing/mailbox';
import { startPrivateSmtpSink } from './testing/privateSmtpSink';
import { startRejectingSmtpServer } from './testing/testSmtpServer';
import { startTestNotifier } from './testing/testNotifier';
import { userStream } from './testing/userEvents';

jest.setTimeout(180_000);

describe('notifier on the real local stack', () => {
  const domain = `${randomName('n')}.example.com`;
  const mailbox = mailboxSince();
  const mongo = new MongoClient(testEndpoints().mongoShards[0]!);
  const kafka = testKafka('notifier-test');
  let command: Awaited<ReturnType<typeof startTestCommandService>>;
  let notifier: Awaited<ReturnType<typeof startTestNotifier>>;
  const ledger = () => mongo.db(notifier.database).collection('ledger');

  const register = async (local: string, name = 'Ada Lovelace') => {
    const r = await send(command.service.url, 'POST', '/v1/users', { name, email: `${local}@${domain}` });
    expect(r.status).toBe(201);
    return r.body!.id as string;
  };
  const mailTo = (local: string, count = 1) =>
    waitFor(() => mailbox.to(`${local}@${domain}`).length >= count && mailbox.to(`${local}@${domain}`), {
      timeoutMs: 30_000,
      description: `${count} email(s) to ${local}@${domain}`,
    });
  const eventsOf = async (userId: string) =>
    (await readEventLog(command.topics, command.partitions))
      .map((e) => e.event)
      .filter((e) => e.metadata.streamId === `user-${userId}`);

  beforeAll(async () => {
    command = await startTestCommandService();
    notifier = await startTestNotifier({ prefix: command.prefix });
  });
  afterAll(async () => {
    await notifier?.service.stop();
    await command?.service.stop();
    await mongo
      .db(notifier.database)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    expect([...(notifier?.fatal ?? []), ...(command?.fatal ?? [])]).toEqual([]);
  });

  it('sends a welcome email with the deterministic Message-ID, as text and as escaped HTML', async () => {
    const id = await register('ada', 'Ada <b>Lovelace</b> & Co');
    const [mail, ...more] = await mailTo('ada');
    expect(more).toEqual([]);
    const [registered] = await eventsOf(id);
    const eventId = registered!.metadata.eventId;
    expect(mail).toMatchObject({
      messageId: `<${eventId}.welcome@eventfold>`,
      subject: 'Welcome to eventfold, Ada <b>Lovelace</b> & Co',
      envelope: { mailFrom: 'no-reply@eventfold.example', rcptTo: [`ada@${domain}`] },
      headers: { 'x-eventfold-event-id': eventId, 'x-eventfold-template': 'welcome' },
    });
    expect(mail!.text).toContain('Hello Ada <b>Lovelace</b> & Co,');
    expect(mail!.html).toContain('Hello Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; Co,');
    expect(mail!.html).not.toContain('<b>Lovelace');
    // The sink stores a message before it answers 250, so the ledger may say "sent" a moment after the mail is in.
    const entry = await waitFor(async () => {
      const found = await ledger().findOne({ _id: `${eventId}:welcome` as never });
      return found?.status === 'sent' && found;
    });
    expect(entry).toMatchObject({
      status: 'sent',
      attempts: 1,
      confirmedBy: 'smtp-reply',
      sentAt: expect.any(Date),
    });
    expect(
      await notifier.metric('eventfold_notifier_emails_sent_total', { template: 'welcome' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('sends two emails on an email change: a confirmation to the new address and a notice to the old one', async () => {
    const id = await register('grace', 'Grace Hopper');
    await mailTo('grace');
    const r = await send(command.service.url, 'PUT', `/v1/users/${id}/email`, { email: `hopper@${domain}` });
    expect(r.status).toBe(200);
    const [confirmation] = await mailTo('hopper');
    const [, notice] = await mailTo('grace', 2);
    const changed = (await eventsOf(id))[1]!.metadata.eventId;
    expect(confirmation).toMatchObject({ messageId: `<${changed}.email-change-confirmation@eventfold>` });
    expect(confirmation!.text).toContain(`hopper@${domain} is now the email address`);
    expect(notice).toMatchObject({ messageId: `<${changed}.email-change-notice@eventfold>` });
    expect(notice!.text).toContain(`h***@${domain}`);
    expect(notice!.text).not.toContain(`hopper@${domain}`);
  });

  it('sends name change and correction notices to the current address (the notifier keeps it)', async () => {
    const id = await register('katherine', 'Katherine Johnson');
    await send(command.service.url, 'PUT', `/v1/users/${id}/email`, { email: `kj@${domain}` });
    await send(command.service.url, 'PUT', `/v1/users/${id}/name`, { name: 'Katherine G. Johnson' });
    await send(command.service.url, 'POST', `/v1/users/${id}/name-corrections`, {
      name: 'Katherine Goble Johnson',
      reason: 'middle name',
    });
    const mails = await mailTo('kj', 3);
    expect(mails.map((m) => m.headers['x-eventfold-template'])).toEqual([
      'email-change-confirmation',
      'name-changed',
      'name-corrected',
    ]);
    expect(mails[2]!.text).toContain('Katherine G. Johnson is now Katherine Goble Johnson');
    expect(mailbox.to(`katherine@${domain}`)).toHaveLength(2); // welcome and the notice of the change
  });

  it('sends nothing for an event delivered again, and counts the suppressed duplicate', async () => {
    const id = await register('dorothy', 'Dorothy Vaughan');
    await mailTo('dorothy');
    const before = await notifier.metric('eventfold_notifier_duplicates_suppressed_total', {
      template: 'welcome',
    });
    const writer = await eventWriter(command.prefix, command.partitions);
    try {
      await writer.write(...(await eventsOf(id)));
    } finally {
      await writer.close();
    }
    await waitFor(
      async () =>
        (await notifier.metric('eventfold_notifier_duplicates_suppressed_total', { template: 'welcome' })) >
        before,
      { description: 'the duplicate to be suppressed' },
    );
    expect(mailbox.to(`dorothy@${domain}`)).toHaveLength(1);
  });

  it('sends nothing at all when users.events is replayed from offset 0', async () => {
    const mailsBefore = mailbox.to(`@${domain}`).length;
    const sentBefore = await waitFor(async () => {
      const sent = await ledger().countDocuments({ status: 'sent' });
      return sent === mailsBefore && sent;
    });
    await notifier.service.stop();
    await withTestAdmin(kafka, async (admin) => {
      const groupId = notifierGroupId(command.prefix);
      await waitFor(async () => (await admin.describeGroups([groupId])).groups[0]?.state === 'Empty', {
        description: 'the notifier group to be empty',
      });
      await admin.resetOffsets({ groupId, topic: command.topics.events, earliest: true });
    });
    notifier = await startTestNotifier({ prefix: command.prefix, database: notifier.database });
    await waitFor(
      async () => (await notifier.metric('eventfold_notifier_duplicates_suppressed_total')) >= sentBefore,
      { timeoutMs: 60_000, description: `${sentBefore} suppressed duplicates` },
    );
    expect(await notifier.metric('eventfold_notifier_emails_sent_total')).toBe(0);
    expect(mailbox.to(`@${domain}`)).toHaveLength(mailsBefore);
  });
});

describe('notifier retries', () => {
  // An instance of the sink program of our own: faults written to the shared sink's faults.json would refuse
  // every other test's mail too (and other engineers share it).
  const prefix = `${randomName('retry')}.`;
  const mongo = new MongoClient(testEndpoints().mongoShards[0]!);
  let sink: Awaited<ReturnType<typeof startPrivateSmtpSink>>;
  let notifier: Awaited<ReturnType<typeof startTestNotifier>>;
  let writer: Awaited<ReturnType<typeof eventWriter>>;

  beforeAll(async () => {
    sink = await startPrivateSmtpSink();
    writer = await eventWriter(prefix);
    notifier = await startTestNotifier({
      prefix,
      env: { SMTP_URL: sink.url, SMTP_MAILBOX_DIR: sink.mailboxDir },
    });
  });
  afterAll(async () => {
    writeSinkFaults(sink.faultsFile, { rejectRate: 0 });
    await notifier?.service.stop();
    await writer?.close();
    await sink?.stop();
    await mongo
      .db(notifier.database)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
  });

  it('retries a 4xx from the SMTP sink until the email is accepted', async () => {
    const mailbox = mailboxSince(Date.now(), sink.mailboxDir);
    const ledger = mongo.db(notifier.database).collection('ledger');
    writeSinkFaults(sink.faultsFile, { rejectRate: 1 });
    const mary = userStream();
    const registered = mary.registered('Mary Jackson', 'mary@retry.example.com');
    const key = `${registered.metadata.eventId}:welcome`;
    try {
      await writer.write(registered);
      // Refused (451) at least twice, then the sink accepts again. Refused, not only begun: the ledger counts an
      // attempt at its commit point, and the sink decides after it, so an attempt still in flight may yet be accepted.
      await waitFor(
        async () => {
          const entry = await ledger.findOne({ _id: key as never });
          return (entry?.attempts ?? 0) >= 2 && entry?.inFlight === null;
        },
        { description: 'two refused attempts in the ledger' },
      );
    } finally {
      writeSinkFaults(sink.faultsFile, { rejectRate: 0 });
    }
    await waitFor(() => mailbox.to('mary@retry.example.com').length > 0, { description: 'the email' });
    const entry = await waitFor(async () => {
      const found = await ledger.findOne({ _id: key as never });
      return found?.status === 'sent' && found;
    });
    expect(entry).toMatchObject({ status: 'sent', lastError: { code: 'EMESSAGE', responseCode: 451 } });
    expect(entry.attempts).toBeGreaterThanOrEqual(3);
    expect(mailbox.to('mary@retry.example.com')).toHaveLength(1);
    expect(
      await notifier.metric('eventfold_notifier_emails_retried_total', {
        template: 'welcome',
        reason: 'smtp-4xx',
      }),
    ).toBe(entry.attempts - 1);
  });
});

describe('notifier dead letters', () => {
  const prefix = `${randomName('dlq')}.`;
  let rejecting: Awaited<ReturnType<typeof startRejectingSmtpServer>>;
  let notifier: Awaited<ReturnType<typeof startTestNotifier>>;
  let writer: Awaited<ReturnType<typeof eventWriter>>;

  beforeAll(async () => {
    rejecting = await startRejectingSmtpServer();
    writer = await eventWriter(prefix);
    notifier = await startTestNotifier({ prefix, env: { SMTP_URL: rejecting.url } });
  });
  afterAll(async () => {
    await notifier?.service.stop();
    await writer?.close();
    await rejecting?.stop();
    const mongo = new MongoClient(testEndpoints().mongoShards[0]!);
    await mongo
      .db(notifier.database)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
  });

  const readDeadLetters = async (count: number) => {
    const letters: Record<string, unknown>[] = [];
    const consumer = writer.kafka.consumer({ groupId: randomName('dlq-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: notificationsDlqTopic(prefix), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        letters.push({ ...JSON.parse(message.value!.toString()), headers: message.headers });
      },
    });
    try {
      await waitFor(() => letters.length >= count, {
        timeoutMs: 30_000,
        description: `${count} dead letters`,
      });
    } finally {
      await consumer.disconnect();
    }
    return letters;
  };

  it('dead-letters a permanent failure at once, then one it cannot decode, and goes on with the partition', async () => {
    const ada = userStream();
    const registered = ada.registered('Ada', 'ada@dead.example.com');
    await writer.write(registered);
    await writer.writeRaw(ada.streamId, Buffer.from('not avro at all'));
    const renamed = ada.nameChanged('Ada K');
    await writer.write(renamed);
    const letters = await readDeadLetters(3);
    expect(letters).toEqual([
      expect.objectContaining({
        eventId: registered.metadata.eventId,
        template: 'welcome',
        messageId: `<${registered.metadata.eventId}.welcome@eventfold>`,
        reason: 'permanent',
        attempts: 1,
        error: expect.objectContaining({ responseCode: 550 }),
        source: expect.objectContaining({ topic: writer.topics.events }),
      }),
      expect.objectContaining({ reason: 'undecodable', template: null, streamId: ada.streamId }),
      expect.objectContaining({
        eventId: renamed.metadata.eventId,
        template: 'name-changed',
        reason: 'permanent',
      }),
    ]);
    expect(JSON.stringify(letters)).not.toContain('ada@dead.example.com');
    expect(rejecting.attempts()).toBe(2); // no retry of a 5xx
    expect(
      await notifier.metric('eventfold_notifier_emails_dead_lettered_total', {
        template: 'welcome',
        reason: 'permanent',
      }),
    ).toBe(1);
    expect(await notifier.metric('eventfold_notifier_undecodable_events_total')).toBe(1);
  });

  it('answers /healthz (keeping connections alive 65 s), /readyz with its checks, and /metrics', async () => {
    const ready = await fetch(`${notifier.service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { kafka: 'joined the consumer group', mongo: 'reachable' },
    });
    const health = await fetch(`${notifier.service.url}/healthz`);
    expect(health.status).toBe(200);
    // Longer than a load balancer's idle timeout (60 s), so that the balancer closes an idle connection first.
    expect(health.headers.get('keep-alive')).toBe('timeout=65');
    const metrics = await (await fetch(`${notifier.service.url}/metrics`)).text();
    expect(metrics).toContain('eventfold_notifier_duplicates_suppressed_total');
    expect((await fetch(`${notifier.service.url}/nothing`)).status).toBe(404);
  });
});
