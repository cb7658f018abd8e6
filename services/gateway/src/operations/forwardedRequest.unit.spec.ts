import { ValidationError } from '@eventfold/core';
import { forwardedRequestOf, type IncomingRequestView } from './forwardedRequest';
import { gatewayOperations } from './operations';

const op = Object.fromEntries(gatewayOperations().map((o) => [o.id, o]));
const user = '0f8fad5b-d9cb-469f-a165-70867728950e';

function incoming(
  parts: Partial<Omit<IncomingRequestView, 'header'>> & { headers?: Record<string, string> },
) {
  const headers = Object.fromEntries(
    Object.entries(parts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    params: parts.params ?? {},
    query: parts.query ?? {},
    body: parts.body,
    header: (name: string) => headers[name.toLowerCase()],
  };
}

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof ValidationError ? `${error.code}: ${error.message}` : error;
  }
  return 'accepted';
};

describe('forwardedRequestOf', () => {
  it('rebuilds a read from its documented parameters only, re-encoded', () => {
    const forwarded = forwardedRequestOf(
      op.searchUsers!,
      incoming({
        query: { limit: '10', name: 'a b&c' },
        headers: { 'X-Consistency-Token': '3:42', Prefer: 'allow-stale', 'If-Match': '"1"', Cookie: 'x' },
      }),
    );
    expect(forwarded).toEqual({
      path: `/v1/users?name=a+b%26c&limit=10`,
      headers: { 'x-consistency-token': '3:42', prefer: 'allow-stale' },
      body: undefined,
    });
  });

  it('forwards a write’s documented headers and its body re-serialised', () => {
    const forwarded = forwardedRequestOf(
      op.changeUserName!,
      incoming({
        params: { id: user },
        body: { name: 'Ada', reason: null },
        headers: {
          'If-Match': '"3"',
          'Idempotency-Key': 'k-1',
          Prefer: 'respond-async',
          'X-Consistency-Token': '1:1',
        },
      }),
    );
    expect(forwarded).toEqual({
      path: `/v1/users/${user}/name`,
      headers: { 'if-match': '"3"', 'idempotency-key': 'k-1', prefer: 'respond-async' },
      body: '{"name":"Ada","reason":null}',
    });
  });

  it.each([
    [
      'an unknown query parameter',
      op.searchUsers!,
      { query: { limit: '5', role: 'x' } },
      'UNKNOWN_PARAMETER',
    ],
    ['a repeated query parameter', op.searchUsers!, { query: { limit: ['5', '6'] } }, 'INVALID_QUERY'],
    ['limit above 100', op.searchUsers!, { query: { limit: '101' } }, 'INVALID_QUERY'],
    ['a fractional limit', op.searchUsers!, { query: { limit: '2.5' } }, 'INVALID_QUERY'],
    ['atVersion 0', op.getUser!, { params: { id: user }, query: { atVersion: '0' } }, 'INVALID_QUERY'],
    ['an id that is not a uuid', op.getUser!, { params: { id: '../admin' } }, 'INVALID_PATH'],
    [
      'an unquoted If-Match',
      op.deactivateUser!,
      { params: { id: user }, headers: { 'If-Match': '3' } },
      'INVALID_HEADER',
    ],
    [
      'two If-Match headers',
      op.deactivateUser!,
      { params: { id: user }, headers: { 'If-Match': '"1", "2"' } },
      'INVALID_HEADER',
    ],
    ['a missing body', op.registerUser!, {}, 'MISSING_BODY'],
    [
      'an unknown field',
      op.registerUser!,
      { body: { name: 'A', email: 'a@b.cc', admin: true } },
      'UNKNOWN_FIELD',
    ],
    ['a body that is an array', op.registerUser!, { body: [] }, 'INVALID_FIELD'],
    [
      'a body where none belongs',
      op.reactivateUser!,
      { params: { id: user }, body: { force: true } },
      'UNKNOWN_FIELD',
    ],
  ])('refuses %s', (_what, operation, parts, code) => {
    expect(refusal(() => forwardedRequestOf(operation, incoming(parts as never)))).toMatch(
      new RegExp(`^${code}: `),
    );
  });

  it('drops an empty object sent to an operation without a body, and an absent optional body', () => {
    expect(
      forwardedRequestOf(op.reactivateUser!, incoming({ params: { id: user }, body: {} })).body,
    ).toBeUndefined();
    expect(forwardedRequestOf(op.deactivateUser!, incoming({ params: { id: user } })).body).toBeUndefined();
  });

  it('quotes at most 64 characters of an unknown parameter’s name', () => {
    const message = refusal(() =>
      forwardedRequestOf(op.searchUsers!, incoming({ query: { ['x'.repeat(500)]: '1' } })),
    );
    expect(String(message).length).toBeLessThan(120);
  });
});
