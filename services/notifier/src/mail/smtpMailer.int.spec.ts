import { mailerContract, receivedMail, testEndpoints } from '@eventfold/testing';
import { sinkMailboxLookup } from './relayLookup';
import { smtpMailer } from './smtpMailer';
import { parseSmtpUrl } from './smtpUrl';

const normalise = (id: string | null) => (id ?? '').trim().replace(/^<|>$/g, '');

// The same contract suite as the embedded file mailer (packages/embedded), on the real SMTP sink.
mailerContract('SMTP', async () => {
  const { smtpUrl, mailboxDir } = testEndpoints();
  if (mailboxDir === null)
    throw new Error('the mailer contract needs the local SMTP sink (SMTP_MAILBOX_DIR)');
  const mailer = smtpMailer(
    { endpoint: parseSmtpUrl(smtpUrl), timeoutMs: 5000 },
    sinkMailboxLookup(mailboxDir),
  );
  const count = (messageId: string) =>
    receivedMail().filter((m) => normalise(m.messageId) === messageId).length;
  return {
    mailer,
    // The sink stores a message before it answers 250: what it holds after the reply is final.
    delivered: async (messageId) => count(messageId),
    close: () => mailer.close(),
  };
});
