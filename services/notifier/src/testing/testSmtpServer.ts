import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server of the test's own, for what the shared sink cannot do without disturbing others: refuse every
 * recipient with a permanent 550, drop idle sessions quickly, or require a login (offered without TLS: it never
 * offers STARTTLS). Counts recipients offered and messages accepted, and records the logins it received.
 */
export async function startTestSmtpServer(
  options: { reject?: boolean; idleTimeoutMs?: number; login?: { user: string; pass: string } } = {},
) {
  const logins: { user: string; overTls: boolean }[] = [];
  let attempts = 0;
  let accepted = 0;
  let connections = 0;
  let closed = 0;
  const { login } = options;
  const server = new SMTPServer({
    authOptional: !login,
    // Accept AUTH on a plaintext session, as a careless or hostile relay would: the client must refuse to send it.
    allowInsecureAuth: true,
    onAuth(auth, session, callback) {
      logins.push({ user: auth.username ?? '', overTls: session.secure });
      if (login && auth.username === login.user && auth.password === login.pass)
        callback(null, { user: auth.username });
      else callback(new Error('535 Authentication failed (test server)'));
    },
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    ...(options.idleTimeoutMs ? { socketTimeout: options.idleTimeoutMs } : {}),
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onClose() {
      closed++;
    },
    onRcptTo(_address, _session, callback) {
      attempts++;
      if (options.reject)
        callback(Object.assign(new Error('5.1.1 Mailbox unavailable (test server)'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        accepted++;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** The logins it received, and whether their session was encrypted. */
    logins: () => [...logins],
    /** Recipients offered (RCPT TO). */
    attempts: () => attempts,
    accepted: () => accepted,
    connections: () => connections,
    /** Sessions that ended (the client quit, or the server dropped an idle one). */
    closed: () => closed,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server that refuses every recipient with 550. */
export const startRejectingSmtpServer = () => startTestSmtpServer({ reject: true });
