import { sleep } from '@eventfold/core';
import { MongoClient } from 'mongodb';
import { writeSinkFaults } from '@eventfold/infra';
import {
  randomName,
  scrapeMetric,
  testEndpoints,
  testKafka,
  waitFor,
  withTestAdmin,
} from '@eventfold/testing';
import { send, startTestCommandService } from '@eventfold/command-service/testing';
import { notifierGroupId } from './kafkaNames';
import { mailboxSince } from './testing/mailbox';
import { spawnNotifierProcess, type NotifierProcess } from './testing/notifierProcess';
import { startPrivateSmtpSink } from './testing/privateSmtpSink';

// NOTIFIER_E2E_USERS=2000 is the full acceptance size; the default keeps the run short (timings in the README).
const USERS = Number(process.env.NOTIFIER_E2E_USERS ?? 300);
const KILL_EVERY_MS = Number(process.env.NOTIFIER_E2E_KILL_EVERY_MS ?? 500);
// How many lives the notifier has (each but the last ends with kill -9): a process start and a rebalance each, which
// is most of the test's time; NOTIFIER_E2E_LIVES=30 with the full size.
const LIVES = Number(process.env.NOTIFIER_E2E_LIVES ?? 12);
const REJECT_RATE = 0.1;
// A bound, not a pace: the shared FerretDB sets the pace (about 25 to 100 emails a second here, by its load).
const DEADLINE_MS = Math.max(10 * 60_000, USERS * 600);

jest.setTimeout(DEADLINE_MS + 5 * 60_000);

describe('notifier: exactly once in effect, as separate processes', () => {
  const processes: NotifierProcess[] = [];
  let command: Awaited<ReturnType<typeof startTestCommandService>> | null = null;
  let sink: Awaited<ReturnType<typeof startPrivateSmtpSink>> | null = null;
  const mongo = new MongoClient(testEndpoints().mongoShards[0]!);
  const database = randomName('notifier');

  afterAll(async () => {
    for (const p of processes)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    if (sink) writeSinkFaults(sink.faultsFile, { rejectRate: 0 });
    await sink?.stop();
    await command?.service.stop();
    await mongo
      .db(database)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
  });

  it(`sends exactly ${USERS} welcome emails while killed with -9 every ~${KILL_EVERY_MS} ms and the sink refuses ${REJECT_RATE * 100} %; a replay from offset 0 sends none`, async () => {
    const started = Date.now();
    const prefix = `${randomName('once')}.`;
    const domain = `${randomName('once')}.example.com`;
    sink = await startPrivateSmtpSink();
    writeSinkFaults(sink.faultsFile, { rejectRate: REJECT_RATE });
    const mailbox = mailboxSince(started, sink.mailboxDir);
    const welcomes = () => mailbox.to(`@${domain}`);
    // A 6 s session (the broker's minimum), so that a killed member's partitions move on quickly; more attempts than
    // the default, so that 10 % refusals plus interrupted attempts never exhaust them (that would be a dead letter,
    // not a lost email, but the test counts arrivals).
    const env = {
      SMTP_URL: sink.url,
      SMTP_MAILBOX_DIR: sink.mailboxDir,
      MAIL_MAX_ATTEMPTS: '12',
      LOG_LEVEL: 'info',
    };
    command = await startTestCommandService({ prefix });

    // The registrations: 8 clients in parallel, all N from the start, so that every life of the notifier has work.
    let registered = 0;
    const registering = Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker; i < USERS; i += 8) {
          const r = await send(command!.service.url, 'POST', '/v1/users', {
            name: `User ${i}`,
            email: `user${i}@${domain}`,
          });
          if (r.status !== 201) throw new Error(`registration ${i} answered ${r.status}`);
          registered++;
        }
      }),
    );
    registering.catch(() => undefined);

    // The killer: start the notifier, let it send its share of the emails (1/LIVES of them, or the rest) and live
    // ~KILL_EVERY_MS more (2/3 to 4/3 of it, so that kills land anywhere in its work), kill -9, and again, until
    // every email is in. Each life makes progress however loaded the machine is: a slow start (the rebalance waits
    // out the killed member's session) is not counted against the work.
    let kills = 0;
    let killsWhileBusy = 0;
    const share = Math.ceil(USERS / LIVES);
    for (;;) {
      const remaining = DEADLINE_MS - (Date.now() - started);
      if (remaining <= 0) throw new Error(`only ${welcomes().length} of ${USERS} emails arrived`);
      const notifier = await spawnNotifierProcess(prefix, database, env);
      processes.push(notifier);
      const before = welcomes().length;
      await waitFor(() => welcomes().length >= Math.min(USERS, before + share), {
        timeoutMs: remaining,
        intervalMs: 50,
        description: `this notifier's share of the emails (${welcomes().length} of ${USERS} arrived so far)`,
      });
      await sleep(KILL_EVERY_MS * (2 / 3 + (2 / 3) * Math.random()));
      if (welcomes().length >= USERS && registered === USERS) {
        notifier.child.kill('SIGTERM'); // the last one leaves the group at once, for the replay below
        await notifier.exited;
        break;
      }
      notifier.child.kill('SIGKILL');
      await notifier.exited;
      kills++;
      if (registered > welcomes().length) killsWhileBusy++;
    }
    await registering;
    const deliveredAt = Date.now();

    const mails = welcomes();
    const perRecipient = new Map<string, number>();
    for (const m of mails)
      for (const r of m.envelope.rcptTo) perRecipient.set(r, (perRecipient.get(r) ?? 0) + 1);
    expect([...perRecipient.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(perRecipient.size).toBe(USERS);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
    expect(mails).toHaveLength(USERS);
    expect(mails.every((m) => /^<[0-9a-f-]{36}\.welcome@eventfold>$/.test(m.messageId ?? ''))).toBe(true);

    const ledger = mongo.db(database).collection('ledger');
    expect(await ledger.countDocuments({ status: 'sent' })).toBe(USERS);
    expect(await ledger.countDocuments({ status: { $ne: 'sent' } })).toBe(0);
    const confirmations: Record<string, number> = {};
    let attempts = 0;
    for await (const entry of ledger.find({}, { projection: { confirmedBy: 1, attempts: 1 } })) {
      confirmations[entry.confirmedBy as string] = (confirmations[entry.confirmedBy as string] ?? 0) + 1;
      attempts += entry.attempts as number;
    }

    // Replay: the group's offsets back to 0 while no notifier runs, then a notifier: nothing may be sent.
    const events = command.topics.events;
    await withTestAdmin(testKafka('notifier-e2e'), async (admin) => {
      const groupId = notifierGroupId(prefix);
      await waitFor(async () => (await admin.describeGroups([groupId])).groups[0]?.state === 'Empty', {
        timeoutMs: 30_000,
        description: 'the notifier group to be empty',
      });
      await admin.resetOffsets({ groupId, topic: events, earliest: true });
    });
    const replayStarted = Date.now();
    const replay = await spawnNotifierProcess(prefix, database, env);
    processes.push(replay);
    await waitFor(
      async () => (await scrapeMetric(replay.url, 'eventfold_notifier_duplicates_suppressed_total')) >= USERS,
      { timeoutMs: 120_000, intervalMs: 250, description: `${USERS} suppressed duplicates` },
    );
    const replaySeconds = (Date.now() - replayStarted) / 1000;
    expect(await scrapeMetric(replay.url, 'eventfold_notifier_emails_sent_total')).toBe(0);
    replay.child.kill('SIGTERM');
    await replay.exited;
    expect(welcomes()).toHaveLength(USERS);

    console.log(
      [
        `notifier exactly once: ${USERS} registrations, ${USERS} welcome emails, none twice;`,
        `${kills} kill -9 (${killsWhileBusy} with emails pending), sink refusing ${REJECT_RATE * 100} %`,
        `(it crashed and was restarted ${sink.restarts()} times);`,
        `${attempts} SMTP attempts recorded; confirmed by ${JSON.stringify(confirmations)};`,
        `all delivered after ${((deliveredAt - started) / 1000).toFixed(1)} s;`,
        `replay from offset 0: ${USERS} duplicates suppressed, 0 sent, in ${replaySeconds.toFixed(1)} s`,
      ].join(' '),
    );
  });
});
