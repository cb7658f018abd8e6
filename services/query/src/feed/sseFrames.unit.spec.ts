import { eventFrame, HEARTBEAT_FRAME, resumeAfter } from './sseFrames';

describe('server-sent event frames', () => {
  it('writes an event with its version as the id and its type as the event name, on one data line', () => {
    const frame = eventFrame({ version: 3, type: 'UserNameChanged', data: { name: 'A\nB' } } as never);
    expect(frame).toBe(
      'id: 3\nevent: UserNameChanged\ndata: {"version":3,"type":"UserNameChanged","data":{"name":"A\\nB"}}\n\n',
    );
  });

  it('writes heartbeats as comments', () => {
    expect(HEARTBEAT_FRAME.startsWith(':')).toBe(true);
  });
});

describe('resumeAfter', () => {
  it('starts from the beginning without a position', () => {
    expect(resumeAfter(undefined, undefined)).toBe(0);
    expect(resumeAfter('', undefined)).toBe(0);
  });

  it('prefers Last-Event-ID (a reconnection) to ?after=', () => {
    expect(resumeAfter('7', '2')).toBe(7);
    expect(resumeAfter(undefined, '2')).toBe(2);
  });

  it('refuses a position that is not a version', () => {
    expect(() => resumeAfter('x', undefined)).toThrow('Last-Event-ID must be an event version');
    expect(() => resumeAfter(undefined, '-1')).toThrow('after must be an event version');
    expect(() => resumeAfter('01', undefined)).toThrow();
  });
});
