import { isStaleConnection, UpstreamFailure, upstreamFailureOf } from './upstreamFailure';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('upstreamFailureOf', () => {
  it.each([
    [coded('ECONNREFUSED'), false, 'unreachable', 'ECONNREFUSED'],
    [coded('UND_ERR_SOCKET'), false, 'unreachable', 'UND_ERR_SOCKET'],
    [new Error('wrapped', { cause: coded('ECONNRESET') }), false, 'unreachable', 'ECONNRESET'],
    [coded('UND_ERR_CONNECT_TIMEOUT'), false, 'timeout', 'UND_ERR_CONNECT_TIMEOUT'],
    [coded('UND_ERR_HEADERS_TIMEOUT'), false, 'timeout', 'UND_ERR_HEADERS_TIMEOUT'],
    [new DOMException('aborted', 'TimeoutError'), true, 'timeout', 'DEADLINE'],
    ['a string', false, 'unreachable', 'UNKNOWN'],
  ])('classifies %p (deadline passed: %p) as %s', (error, timedOut, kind, code) => {
    expect(upstreamFailureOf(error, timedOut)).toMatchObject({ kind, code });
  });

  it('keeps a failure it is given', () => {
    const failure = new UpstreamFailure('too-large', 'RESPONSE_TOO_LARGE');
    expect(upstreamFailureOf(failure, false)).toBe(failure);
  });

  it('retries only a connection that broke, never one refused or timed out', () => {
    expect(isStaleConnection(upstreamFailureOf(coded('ECONNRESET'), false))).toBe(true);
    expect(isStaleConnection(upstreamFailureOf(coded('ECONNREFUSED'), false))).toBe(false);
    expect(isStaleConnection(upstreamFailureOf(coded('ECONNRESET'), true))).toBe(false);
  });
});
