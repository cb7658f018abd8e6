import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('never writes names, email addresses or credentials', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('test', 'info', sink);
    logger.info(
      {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        data: { oldName: 'Ada', newEmail: 'x@y.zz' },
        headers: { authorization: 'Bearer secret' },
      },
      'changed',
    );
    const written = lines.join('');
    for (const secret of ['Ada', 'ada@example.com', 'x@y.zz', 'secret'])
      expect(written).not.toContain(secret);
    expect(written).toContain('[redacted]');
  });
});
