import fs from 'node:fs';
import path from 'node:path';
import { ErrorKind, EventfoldError } from '@eventfold/core';

/** A file that holds a secret is missing its protection: others can read it. Never retriable. */
export class SecretFileError extends EventfoldError {
  readonly kind = ErrorKind.Internal;
}

/**
 * A secret kept in a file of its own (a development master key, API key, or key-id secret): generated and written
 * once, exclusively (a second process never overwrites it), readable by its owner only (mode 0600, in a folder
 * created 0700); an existing file that group or others may read is refused with the command that fixes it, rather
 * than used. Answers the secret and whether it was just created.
 */
export function readOrCreateSecret(
  file: string,
  generate: () => string,
): { value: string; created: boolean } {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    fs.writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new SecretFileError(
      'SECRET_FILE_EXPOSED',
      `${file} holds a secret but other users may read it (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${file}`,
    );
  return { value: fs.readFileSync(file, 'utf8').trim(), created };
}
