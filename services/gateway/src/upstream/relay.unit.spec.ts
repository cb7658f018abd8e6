import { gatewayOperations } from '../operations/operations';
import type { BackendResponse } from './backendClient';
import { relayOf, sanitisedProblem } from './relay';

const op = Object.fromEntries(gatewayOperations().map((o) => [o.id, o]));
const response = (status: number, body: unknown, headers: Record<string, string> = {}): BackendResponse => ({
  status,
  headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const written = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  version: 2,
  consistencyToken: '1:5',
  commandId: 'c',
};

describe('relayOf', () => {
  it('relays a success byte for byte with its documented headers only', () => {
    const answer = response(200, written, {
      etag: '"2"',
      'x-consistency-token': '1:5',
      server: 'x',
      'set-cookie': 'a',
    });
    const { reply, violation } = relayOf(op.changeUserName!, answer, 'enforce');
    expect(violation).toBeNull();
    expect(reply).toEqual({
      kind: 'relay',
      status: 200,
      headers: { etag: '"2"', 'x-consistency-token': '1:5', 'content-type': 'application/json' },
      body: answer.body,
    });
  });

  it('rebuilds a problem without internals, keeping Retry-After', () => {
    const { reply } = relayOf(
      op.registerUser!,
      response(
        503,
        { type: 't', title: 'Service Unavailable', status: 503, code: 'SERVICE_STARTING', stack: 's' },
        {
          'retry-after': '1',
        },
      ),
      'enforce',
    );
    expect(reply).toEqual({
      kind: 'problem',
      problem: expect.not.objectContaining({ stack: expect.anything() }),
      headers: { 'retry-after': '1' },
    });
  });

  it.each([
    ['a 500', response(500, { type: 't', title: 'x', status: 500 })],
    ['a 504 of a proxy behind it', response(504, { type: 't', title: 'x', status: 504 })],
    ['HTML', { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('<p>') }],
    ['truncated JSON', response(200, '{"id":')],
  ])('turns %s into a 502 that says nothing of it', (_what, answer) => {
    const { reply, backendFailure } = relayOf(op.changeUserName!, answer, 'off');
    expect(reply).toMatchObject({
      kind: 'problem',
      problem: { status: 502, code: 'BACKEND_ERROR' },
      headers: {},
    });
    expect(backendFailure).toMatchObject({ status: answer.status });
  });

  it('reports an answer outside the document, refusing it only in enforce mode', () => {
    const offContract = response(200, { ...written, extra: 1 });
    expect(relayOf(op.changeUserName!, offContract, 'enforce').reply).toMatchObject({
      problem: { status: 502, code: 'BACKEND_CONTRACT_VIOLATION' },
    });
    const warned = relayOf(op.changeUserName!, offContract, 'warn');
    expect(warned.reply.kind).toBe('relay');
    expect(warned.violation).toMatch(/Unknown field "extra"/);
    expect(relayOf(op.changeUserName!, offContract, 'off').violation).toBeNull();
  });
});

describe('sanitisedProblem', () => {
  it('keeps the members the document states, as strings, with the real status', () => {
    expect(
      sanitisedProblem(
        412,
        {
          type: 't',
          title: 'Precondition Failed',
          status: 200,
          detail: 'd',
          code: 'C',
          commandId: 'x',
          instance: '/internal/v1/users',
          cause: 'y',
          nested: {},
        },
        'command',
      ),
    ).toEqual({
      type: 't',
      title: 'Precondition Failed',
      status: 412,
      detail: 'd',
      code: 'C',
      commandId: 'x',
    });
  });

  it('drops every member the document does not state, whatever its name or type (an allowlist)', () => {
    const relayed = sanitisedProblem(
      503,
      {
        type: 't',
        title: 'Service Unavailable',
        code: 'READ_MODEL_UNAVAILABLE',
        host: 'mongo-0.internal:27017',
        query: '{"nameKey":{"$regex":"ada"}}',
        retryable: true,
        attempts: 3,
        shard: 'shard0',
        commandId: 42,
      },
      'query',
    );
    expect(Object.keys(relayed).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
  });

  it('makes a problem of a body that is none', () => {
    expect(sanitisedProblem(404, undefined, 'query')).toMatchObject({
      status: 404,
      title: 'Not Found',
      code: 'REQUEST_FAILED',
      detail: 'The query service answered 404',
    });
  });
});
