import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ledgerErrorOf } from './mailErrors';
import type { SmtpEndpoint } from './smtpUrl';
import type { MailSubmitter, OutgoingMail, SubmissionOutcome } from './submission';

export interface SmtpSubmitterOptions {
  readonly endpoint: SmtpEndpoint;
  /** Connection, greeting and inactivity timeout of each SMTP session. */
  readonly timeoutMs: number;
  /** Our name in EHLO. */
  readonly clientName?: string;
  /** Idle sessions kept for reuse (opening one costs a greeting, which some relays delay on purpose). */
  readonly maxIdleSessions?: number;
}

/** Marks an error of the commit point: the caller's (the ledger's), not the relay's; it passes through. */
class CommitPointFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the commit point failed', { cause });
  }
}

type Transaction =
  | { readonly kind: 'done'; readonly outcome: SubmissionOutcome; readonly reusable: boolean }
  | { readonly kind: 'stale' };

/**
 * Submits messages over SMTP with nodemailer's SMTPConnection, holding back the end of each message until the
 * caller's commit point has run.
 *
 * Why: a relay takes responsibility for a message when it answers 250 to the terminating `<CRLF>.<CRLF>` of DATA,
 * not before. A session that dies before the terminator (the process is killed, the commit point fails) leaves the
 * relay with an incomplete message, which it discards (RFC 5321 §4.1.1.4; smtp-server, the local sink, destroys
 * the data stream and stores nothing). So everything up to the terminator can be repeated safely, and only a
 * short, known window is uncertain: from the commit point, recorded in the ledger, to the recorded reply.
 *
 * Sessions are reused: after a transaction the relay accepted, the session goes back to a small idle pool and the
 * next message starts with MAIL FROM. Any other ending closes it.
 */
export class SmtpSubmitter implements MailSubmitter {
  private readonly idle: SMTPConnection[] = [];

  constructor(private readonly options: SmtpSubmitterOptions) {}

  async submit(mail: OutgoingMail, commitPoint: () => Promise<void>): Promise<SubmissionOutcome> {
    for (;;) {
      const reused = this.takeIdle();
      let connection: SMTPConnection;
      if (reused) connection = reused;
      else {
        try {
          connection = await this.open();
        } catch (error) {
          return { kind: 'unavailable', error: ledgerErrorOf(error) };
        }
      }
      const transaction = await this.transact(connection, mail, commitPoint, reused !== null);
      if (transaction.kind === 'stale') continue; // an idle session the relay had closed: open a fresh one
      if (transaction.reusable && this.idle.length < (this.options.maxIdleSessions ?? 12))
        this.idle.push(connection);
      else connection.close();
      return transaction.outcome;
    }
  }

  /** Closes the idle sessions. */
  close(): void {
    for (const connection of this.idle.splice(0)) connection.close();
  }

  private takeIdle(): SMTPConnection | null {
    for (let c = this.idle.pop(); c; c = this.idle.pop()) if (!c.destroyed) return c;
    return null;
  }

  private async open(): Promise<SMTPConnection> {
    const { endpoint, timeoutMs } = this.options;
    const connection = new SMTPConnection({
      host: endpoint.host,
      port: endpoint.port,
      secure: endpoint.secure,
      // A login goes over TLS or not at all: over smtp:// the session must be upgraded with STARTTLS first. Without
      // this, a relay (or anyone between) that does not offer STARTTLS would receive the password in clear text.
      requireTLS: endpoint.auth !== null && !endpoint.secure,
      name: this.options.clientName,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Abandoning a transaction must drop the socket at once, never let a buffered terminator through.
      socketCloseTimeout: 0,
    });
    // Errors also reach the callbacks; an idle session the relay closes reports here, to nobody.
    connection.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        connection.once('error', reject);
        connection.connect(() => {
          connection.removeListener('error', reject);
          resolve();
        });
      });
      if (endpoint.auth) {
        const auth = endpoint.auth;
        await new Promise<void>((resolve, reject) =>
          connection.login({ user: auth.user, pass: auth.pass }, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      }
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  private async transact(
    connection: SMTPConnection,
    mail: OutgoingMail,
    commitPoint: () => Promise<void>,
    reused: boolean,
  ): Promise<Transaction> {
    let committed = false;
    let dataStarted = false;
    try {
      let streaming: () => void = () => undefined;
      const started = new Promise<'data'>((resolve) => (streaming = () => resolve('data')));
      // The message source: nodemailer starts reading it once the relay answered DATA with 354.
      const body = new Readable({ read: () => streaming() });
      const reply = new Promise<string>((resolve, reject) =>
        connection.send({ from: mail.from, to: [mail.to] }, body, (error, info) =>
          error ? reject(error) : resolve(info.response),
        ),
      );
      reply.catch(() => undefined);
      // MAIL FROM or RCPT TO refused: the callback fires before any data is asked for.
      if ((await Promise.race([started, reply.then(() => 'reply' as const)])) === 'reply') await reply;
      dataStarted = true;
      body.push(mail.raw);
      try {
        await commitPoint();
      } catch (error) {
        // Abandon the transaction without its terminator: the relay discards what it got.
        connection.close();
        body.destroy();
        throw new CommitPointFailed(error);
      }
      committed = true;
      body.push(null); // nodemailer now writes <CRLF>.<CRLF>
      const response = await reply;
      return { kind: 'done', outcome: { kind: 'accepted', response }, reusable: true };
    } catch (error) {
      if (error instanceof CommitPointFailed) throw error.cause;
      const ledgerError = ledgerErrorOf(error);
      // A reused session that fails before any data without a reply was closed by the relay while idle.
      if (reused && !dataStarted && ledgerError.responseCode === null) return { kind: 'stale' };
      // After the terminator, only a reply from the relay is an answer; anything else leaves it open.
      if (committed && ledgerError.responseCode === null)
        return { kind: 'done', outcome: { kind: 'unknown', error: ledgerError }, reusable: false };
      return { kind: 'done', outcome: { kind: 'rejected', error: ledgerError, committed }, reusable: false };
    }
  }
}
