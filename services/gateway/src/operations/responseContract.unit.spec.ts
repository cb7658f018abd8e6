import { gatewayOperations } from './operations';
import { contractViolation, mediaTypeOf } from './responseContract';

const op = Object.fromEntries(gatewayOperations().map((o) => [o.id, o]));
const user = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  name: 'Ada',
  email: 'a@b.cc',
  status: 'active',
  version: 1,
};
const problemBody = { type: 'https://eventfold.dev/problems/x', title: 'Not Found', status: 404, code: 'X' };

describe('contractViolation', () => {
  it('accepts a documented status with its content type and a body matching the schema', () => {
    expect(
      contractViolation(op.getUser!, {
        status: 200,
        contentType: 'application/json; charset=utf-8',
        body: user,
      }),
    ).toBeNull();
    expect(
      contractViolation(op.getUser!, {
        status: 404,
        contentType: 'application/problem+json',
        body: problemBody,
      }),
    ).toBeNull();
  });

  it('names an undocumented status, a wrong content type and a body off its schema, without values', () => {
    expect(contractViolation(op.getUser!, { status: 409, contentType: 'application/json', body: {} })).toBe(
      'status 409 is not documented for getUser',
    );
    expect(
      contractViolation(op.getUser!, { status: 404, contentType: 'application/json', body: problemBody }),
    ).toBe('getUser 404 has content type application/json, not application/problem+json');
    expect(contractViolation(op.getUser!, { status: 200, contentType: undefined, body: undefined })).toMatch(
      /content type \(none\)/,
    );
    const extra = contractViolation(op.getUser!, {
      status: 200,
      contentType: 'application/json',
      body: { ...user, password: 'hunter2' },
    });
    expect(extra).toBe('getUser 200 body does not match User: Unknown field "password"');
    const wrong = contractViolation(op.getUser!, {
      status: 200,
      contentType: 'application/json',
      body: { ...user, status: 'Lovelace' },
    });
    expect(wrong).toMatch(/^getUser 200 body does not match User: status /);
    expect(wrong).not.toContain('Lovelace');
  });
});

describe('mediaTypeOf', () => {
  it('drops parameters and case', () => {
    expect(mediaTypeOf('Application/Problem+JSON; charset=utf-8')).toBe('application/problem+json');
    expect(mediaTypeOf(undefined)).toBeUndefined();
    expect(mediaTypeOf('')).toBeUndefined();
  });
});
