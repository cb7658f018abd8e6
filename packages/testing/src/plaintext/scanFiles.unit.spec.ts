import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanFiles } from './scanFiles';

describe('scanFiles', () => {
  it('finds a value among binary bytes, whatever its case, and reports nothing when it is absent', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    try {
      fs.mkdirSync(path.join(dir, 'topic-0'));
      fs.writeFileSync(
        path.join(dir, 'topic-0', '00000000000000000000.log'),
        Buffer.concat([
          Buffer.from([0, 255, 7]),
          Buffer.from('xx ADA Lovelacé yy', 'utf8'),
          Buffer.from([1]),
        ]),
      );
      fs.writeFileSync(path.join(dir, 'topic-0', '00000000000000000000.index'), 'ada lovelacé');
      const found = scanFiles([dir], ['Ada Lovelacé', 'Grace Hopper']);
      expect(found.hits).toEqual([
        { where: path.join(dir, 'topic-0', '00000000000000000000.log'), value: 'Ada Lovelacé' },
      ]);
      expect(found.files).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
