import fs from 'node:fs';
import path from 'node:path';
import type { StoredMail } from '@eventfold/infra';
import { testEndpoints } from '@eventfold/testing';

/**
 * The SMTP sink's mailbox from a moment on, read incrementally: the sink is shared (by every test run, and other
 * engineers), so a test reads only files stored since it began (their names start with the time), parses each once,
 * and filters by its own random recipient domain.
 */
export function mailboxSince(
  since: number = Date.now(),
  mailboxDir: string | null = testEndpoints().mailboxDir,
) {
  const dir = mailboxDir;
  if (dir === null) throw new Error('SMTP_MAILBOX_DIR is not set: the SMTP server is not the local sink');
  const parsed = new Map<string, StoredMail>();
  const read = (): StoredMail[] => {
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (name.startsWith('.') || !name.endsWith('.json') || parsed.has(name)) continue;
      if (Number(name.slice(0, name.indexOf('-'))) < since - 2000) continue;
      parsed.set(name, JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as StoredMail);
    }
    return [...parsed.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, mail]) => mail);
  };
  return {
    dir,
    /** Every message stored since `since`, oldest first. */
    all: read,
    /** Messages to an address, or to any address of a domain (`@example.test`). */
    to: (recipient: string) =>
      read().filter((m) =>
        m.envelope.rcptTo.some((r) => (recipient.startsWith('@') ? r.endsWith(recipient) : r === recipient)),
      ),
  };
}
