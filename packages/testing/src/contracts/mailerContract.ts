import { randomUUID } from 'node:crypto';
import type { Mailer } from '@eventfold/core';

/** A mailer under test, and what it delivered: the raw messages its relay holds for a Message-ID. */
export interface MailerSubject {
  readonly mailer: Mailer;
  delivered(messageId: string): Promise<number>;
  close(): Promise<void>;
}

const message = (messageId: string) =>
  Buffer.from(
    [
      'From: eventfold <no-reply@eventfold.example>',
      `To: contract-${messageId.slice(0, 8)}@example.com`,
      'Subject: contract',
      `Message-ID: <${messageId}@eventfold.example>`,
      'Date: Thu, 26 Nov 2026 16:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello from the mailer contract.',
      '',
    ].join('\r\n'),
  );

/**
 * The mailer contract (docs/decisions/0010-embedded-mode-on-sqlite.md): submission with a commit point, and the relay's record of what it
 * accepted, run against every implementation (SMTP in `*.int.spec.ts`, files in `*.unit.spec.ts`).
 */
export function mailerContract(implementation: string, open: () => Promise<MailerSubject>): void {
  describe(`mailer contract: ${implementation}`, () => {
    let subject: MailerSubject;
    beforeAll(async () => {
      subject = await open();
    });
    afterAll(async () => {
      await subject?.close();
    });
    const mail = (id: string) => ({
      from: 'no-reply@eventfold.example',
      to: `contract-${id.slice(0, 8)}@example.com`,
      raw: message(id),
    });

    it('delivers a message after its commit point, and its record then knows the Message-ID', async () => {
      const id = randomUUID();
      const since = Date.now();
      let committed = false;
      const outcome = await subject.mailer.submit(mail(id), async () => {
        committed = true;
      });
      expect(outcome.kind).toBe('accepted');
      expect(committed).toBe(true);
      expect(await subject.delivered(`${id}@eventfold.example`)).toBe(1);
      expect(await subject.mailer.lookup(`<${id}@eventfold.example>`, since)).toBe('accepted');
    });

    it('delivers nothing when the commit point fails, and passes its error on', async () => {
      const id = randomUUID();
      const since = Date.now();
      const failure = new Error('the ledger could not record the attempt');
      await expect(
        subject.mailer.submit(mail(id), async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await subject.delivered(`${id}@eventfold.example`)).toBe(0);
      expect(await subject.mailer.lookup(`<${id}@eventfold.example>`, since)).toBe('missing');
    });
  });
}
