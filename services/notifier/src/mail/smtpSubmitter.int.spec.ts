import { randomName, testEndpoints, waitFor } from '@eventfold/testing';
import { mailboxSince } from '../testing/mailbox';
import { startRejectingSmtpServer, startTestSmtpServer } from '../testing/testSmtpServer';
import { composeMessage } from './composeMessage';
import { sinkMailboxLookup } from './relayLookup';
import { SmtpSubmitter } from './smtpSubmitter';
import { parseSmtpUrl } from './smtpUrl';

const from = 'eventfold tests <no-reply@eventfold.example>';

async function message(to: string) {
  const messageId = `<${randomName('m')}.test@eventfold>`;
  const raw = await composeMessage({
    from,
    to,
    messageId,
    date: new Date(),
    rendered: { subject: 'Submitter test', text: 'Hello', html: '<p>Hello</p>' },
    headers: {},
  });
  return { messageId, mail: { from: 'no-reply@eventfold.example', to, raw } };
}

describe('SMTP submission with a commit point, against the real SMTP sink', () => {
  const sink = new SmtpSubmitter({ endpoint: parseSmtpUrl(testEndpoints().smtpUrl), timeoutMs: 5000 });
  const domain = `@${randomName('smtp')}.example.com`;
  const mailbox = mailboxSince();
  const lookup = sinkMailboxLookup(mailbox.dir);

  it('delivers once the commit point has run, and the sink record then says accepted', async () => {
    const { messageId, mail } = await message(`ada${domain}`);
    const events: string[] = [];
    const since = Date.now();
    const outcome = await sink.submit(mail, async () => {
      events.push('commit point');
      expect(mailbox.to(`ada${domain}`)).toEqual([]);
    });
    expect(outcome).toMatchObject({ kind: 'accepted', response: expect.stringMatching(/^250/) });
    expect(events).toEqual(['commit point']);
    const [stored] = await waitFor(() => mailbox.to(`ada${domain}`).length > 0 && mailbox.to(`ada${domain}`));
    expect(stored).toMatchObject({
      messageId,
      subject: 'Submitter test',
      headers: { 'auto-submitted': 'auto-generated' },
    });
    expect(await lookup.lookup(messageId, since)).toBe('accepted');
    expect(await lookup.lookup(`<${randomName('never')}@eventfold>`, since)).toBe('missing');
  });

  it('delivers nothing when the commit point fails: the relay never sees the terminator', async () => {
    const aborted = await message(`grace${domain}`);
    await expect(
      sink.submit(aborted.mail, async () => {
        throw new Error('ledger unavailable');
      }),
    ).rejects.toThrow('ledger unavailable');
    // A message sent after the abandoned one: once it is in, the sink is done with the first connection too.
    const marker = await message(`marker${domain}`);
    expect((await sink.submit(marker.mail, async () => undefined)).kind).toBe('accepted');
    await waitFor(() => mailbox.to(`marker${domain}`).length > 0, { description: 'the marker message' });
    expect(mailbox.to(`grace${domain}`)).toEqual([]);
    expect(await lookup.lookup(aborted.messageId, Date.now() - 60_000)).toBe('missing');
  });

  it('reports a 5xx refusal of the envelope before the commit point, as permanent', async () => {
    const rejecting = await startRejectingSmtpServer();
    try {
      const submitter = new SmtpSubmitter({ endpoint: parseSmtpUrl(rejecting.url), timeoutMs: 5000 });
      let committed = false;
      const outcome = await submitter.submit((await message(`ada${domain}`)).mail, async () => {
        committed = true;
      });
      expect(outcome).toMatchObject({ kind: 'rejected', committed: false, error: { responseCode: 550 } });
      expect(JSON.stringify(outcome)).not.toContain(domain);
      expect(committed).toBe(false);
    } finally {
      await rejecting.stop();
    }
  });

  it('reuses a session for the next message, and replaces one the relay closed while it was idle', async () => {
    const relay = await startTestSmtpServer({ idleTimeoutMs: 300 });
    const submitter = new SmtpSubmitter({ endpoint: parseSmtpUrl(relay.url), timeoutMs: 5000 });
    try {
      const send = async () =>
        (await submitter.submit((await message(`ada${domain}`)).mail, async () => undefined)).kind;
      expect([await send(), await send(), await send()]).toEqual(['accepted', 'accepted', 'accepted']);
      expect(relay.connections()).toBe(1);
      // The relay drops the idle session after 300 ms: the next message goes over a new one, not as a failure.
      await waitFor(() => relay.closed() === 1, { description: 'the relay to drop the idle session' });
      expect(await send()).toBe('accepted');
      expect(relay.connections()).toBe(2);
      expect(relay.accepted()).toBe(4);
    } finally {
      submitter.close();
      await relay.stop();
    }
  });

  it('reports a relay that cannot be reached as unavailable, without reaching the commit point', async () => {
    const submitter = new SmtpSubmitter({ endpoint: parseSmtpUrl('smtp://127.0.0.1:1'), timeoutMs: 2000 });
    let committed = false;
    const outcome = await submitter.submit((await message(`ada${domain}`)).mail, async () => {
      committed = true;
    });
    expect(outcome).toMatchObject({
      kind: 'unavailable',
      error: { responseCode: null, message: expect.stringContaining('ECONNREFUSED') },
    });
    expect(committed).toBe(false);
  });

  it('never sends a login in clear text: over smtp:// a relay without STARTTLS gets no password', async () => {
    const login = { user: 'eventfold', pass: 's3cret' };
    const relay = await startTestSmtpServer({ login });
    const url = new URL(relay.url);
    url.username = login.user;
    url.password = login.pass;
    const submitter = new SmtpSubmitter({ endpoint: parseSmtpUrl(url.href), timeoutMs: 5000 });
    let committed = false;
    try {
      const outcome = await submitter.submit((await message(`ada${domain}`)).mail, async () => {
        committed = true;
      });
      expect(outcome).toMatchObject({
        kind: 'unavailable',
        error: { message: expect.stringMatching(/STARTTLS/) },
      });
      expect({ committed, logins: relay.logins(), accepted: relay.accepted() }).toEqual({
        committed: false,
        logins: [],
        accepted: 0,
      });
    } finally {
      submitter.close();
      await relay.stop();
    }
  });
});
