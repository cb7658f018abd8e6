import fs from 'node:fs';
import path from 'node:path';

/** One message as the SMTP sink stored it: the SMTP envelope plus the parsed message. */
export interface StoredMail {
  readonly receivedAt: string;
  readonly envelope: { readonly mailFrom: string | null; readonly rcptTo: readonly string[] };
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly text: string | null;
  readonly html: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** Stores a message atomically (write, then rename) so that a reader never sees half a file. */
export function storeMail(dir: string, mail: StoredMail, sequence: number): void {
  const name = `${Date.now()}-${process.pid}-${String(sequence).padStart(8, '0')}.json`;
  const scratch = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(scratch, JSON.stringify(mail, null, 2));
  fs.renameSync(scratch, path.join(dir, name));
}

/** Every message the sink has received into `dir`, oldest first. */
export function readMailbox(dir: string): StoredMail[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as StoredMail);
}
