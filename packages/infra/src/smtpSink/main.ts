// The local SMTP sink: a real SMTP server (smtp-server) that parses each message (mailparser) and keeps it as a
// JSON file in a mailbox folder, where tests read it back. Run by infra as its own process.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { faultReader } from './faultControl';
import { storeMail } from './mailbox';

const [portArg, dirArg] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || !dirArg) {
  console.error('usage: smtpSink/main.ts <port> <data dir>');
  process.exit(2);
}
const mailboxDir = path.join(dirArg, 'mailbox');
fs.mkdirSync(mailboxDir, { recursive: true });
const faults = faultReader(path.join(dirArg, 'faults.json'));
let sequence = 0;

const addressText = (value: AddressObject | AddressObject[] | undefined): string | null =>
  value === undefined ? null : (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');

const server = new SMTPServer({
  authOptional: true,
  // A reverse lookup of every client times out where there is no DNS: it would delay each greeting.
  disableReverseLookup: true,
  disabledCommands: ['STARTTLS'],
  size: 10 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        if (Math.random() < faults().rejectRate) {
          const error = new Error('4.3.0 Temporarily refused by the sink (fault injection)') as Error & {
            responseCode: number;
          };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const headers: Record<string, string> = {};
        for (const [key, value] of parsed.headers)
          headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
        storeMail(
          mailboxDir,
          {
            receivedAt: new Date().toISOString(),
            envelope: {
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
            },
            messageId: parsed.messageId ?? null,
            subject: parsed.subject ?? null,
            from: addressText(parsed.from),
            to: addressText(parsed.to),
            text: parsed.text ?? null,
            html: typeof parsed.html === 'string' ? parsed.html : null,
            headers,
          },
          ++sequence,
        );
        callback();
      })
      .catch((error: Error) => callback(error));
  },
});

server.on('error', (error) => {
  console.error(`smtp sink: ${error.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () =>
  console.log(`smtp sink listening on 127.0.0.1:${port}, mailbox ${mailboxDir}`),
);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
