import { childTraceparent } from './traceparent';

describe('childTraceparent', () => {
  it('keeps the trace id and flags and names a new parent span', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const child = childTraceparent(incoming);
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child).not.toBe(incoming);
    expect(childTraceparent(incoming)).not.toBe(child);
  });
});
