import { scanFrames } from './sseScan';

const frame = (id: string, data: unknown) =>
  `id: ${id}\nevent: UserNameChanged\ndata: ${JSON.stringify(data)}\n\n`;

describe('scanFrames', () => {
  it('answers the name of each complete event, in order, and keeps the unfinished frame', () => {
    const text =
      'retry: 1000\n\n' +
      frame('2', { version: 2, data: { name: 'Follow 1' } }) +
      ': heartbeat\n\n' +
      frame('3', { version: 3, data: { oldName: 'Follow 1', newName: 'Follow "2"' } }) +
      'id: 4\nevent: User';
    const scan = scanFrames(text);
    expect(scan.names).toEqual(['Follow 1', 'Follow "2"']);
    expect(scan.lastId).toBe('3');
    expect(scan.rest).toBe('id: 4\nevent: User');
  });

  it('counts an event without a name as an event', () => {
    expect(scanFrames(frame('5', { version: 5, data: { reason: 'asked' } })).names).toEqual([null]);
  });

  it('finds nothing before a frame is complete', () => {
    const partial = frame('2', { data: { name: 'A' } }).slice(0, -1);
    expect(scanFrames(partial)).toEqual({ names: [], lastId: null, rest: partial });
  });
});
