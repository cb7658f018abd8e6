import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileMailer } from './fileMailer';

describe('fileMailer lookup', () => {
  it("answers 'missing' without a mail folder, and 'unknown' when the folder cannot be read", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-mail-'));
    try {
      expect(await fileMailer(path.join(root, 'mail')).lookup('<id@x>', 0)).toBe('missing');
      // A file where the folder should be: readdir fails with ENOTDIR, which says nothing about the message.
      fs.writeFileSync(path.join(root, 'not-a-folder'), '');
      expect(await fileMailer(path.join(root, 'not-a-folder')).lookup('<id@x>', 0)).toBe('unknown');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
