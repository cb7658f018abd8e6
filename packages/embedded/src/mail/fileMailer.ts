import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Mailer } from '@eventfold/core';

/** Clocks of one machine, but a message may be stored a little before the caller noted its commit point. */
const SLACK_MS = 5000;

const normalise = (id: string) => id.trim().replace(/^<|>$/g, '');
const fileSafe = (id: string) => normalise(id).replace(/[^A-Za-z0-9._@-]/g, '_');

/** The Message-ID header of a MIME message (first header block only). */
export function messageIdOf(raw: Buffer): string | null {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*(.+)$/im.exec(headers);
  return match ? normalise(match[1]!) : null;
}

/**
 * The mailer port on files, for the single-process mode: each accepted message is a `.eml` file in `dir`, named
 * `<ms>-<uuid>-<Message-ID>.eml`. The message is written under a temporary name, the commit point runs, and only
 * then is the file renamed into place (atomically): a process killed before that leaves no message, like an SMTP
 * session that dies before its terminator. `lookup` answers from the files, as the relay's own record.
 */
export function fileMailer(dir: string): Mailer {
  return {
    description: `mail files in ${dir}`,
    async submit(mail, commitPoint) {
      await fs.mkdir(dir, { recursive: true });
      const id = messageIdOf(mail.raw) ?? randomUUID();
      const temporary = path.join(dir, `.${randomUUID()}.tmp`);
      await fs.writeFile(temporary, mail.raw);
      try {
        await commitPoint();
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
      const name = `${Date.now()}-${randomUUID()}-${fileSafe(id)}.eml`;
      await fs.rename(temporary, path.join(dir, name));
      return { kind: 'accepted', response: `250 stored as ${name}` };
    },
    async lookup(messageId, since) {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (error) {
        // No folder yet: nothing was ever delivered. Any other failure (permissions, too many open files) says
        // nothing about the message: 'missing' would send it again.
        return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unknown';
      }
      const suffix = `-${fileSafe(messageId)}.eml`;
      const found = names.some(
        (name) => name.endsWith(suffix) && Number(name.slice(0, name.indexOf('-'))) >= since - SLACK_MS,
      );
      return found ? 'accepted' : 'missing';
    },
    async close() {},
  };
}
